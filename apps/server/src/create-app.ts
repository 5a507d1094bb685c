import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, type NestFastifyApplication } from '@nestjs/platform-fastify';
import { inputValidationPipe } from '@iap/common';
import { AppModule, type AppOptions } from './app.module.js';
import { migrate } from './migrations.js';
import { endReadScope, enterReadScope } from '../../../src/shared/read-db.js';

type ScopeHolder = Parameters<typeof endReadScope>[0];

/** Migrates the database, then builds the server (not yet listening). Used by main.ts and the e2e tests. */
export async function createApp(options: AppOptions & { logger?: false }): Promise<NestFastifyApplication> {
  await migrate(options.databaseUrl);
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(options),
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { logger: options.logger === false ? false : undefined, abortOnError: false },
  );
  app.useGlobalPipes(inputValidationPipe());
  // Each request reads through its own scope (live tables, or an asOf snapshot released when it ends).
  const fastify = app.getHttpAdapter().getInstance();
  fastify.addHook('onRequest', (request, _reply, done) => enterReadScope(request as ScopeHolder, done));
  fastify.addHook('onResponse', async (request) => endReadScope(request as ScopeHolder));
  fastify.addHook('onRequestAbort', async (request) => endReadScope(request as ScopeHolder));
  return app;
}
