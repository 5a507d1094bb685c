import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { inputValidationPipe } from '@iap/common';
import { AppModule, type AppOptions } from './app.module.js';
import { migrate } from './migrations.js';

/** Migrates the database, then builds the server (not yet listening). Used by main.ts and the e2e tests. */
export async function createApp(options: AppOptions & { logger?: false }): Promise<NestFastifyApplication> {
  await migrate(options.databaseUrl);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { logger: options.logger === false ? false : undefined, abortOnError: false },
  );
  app.useGlobalPipes(inputValidationPipe());
  return app;
}
