import { randomUUID } from 'node:crypto';
import { type DynamicModule, Logger, Module } from '@nestjs/common';
import { GraphQLModule } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { JsonScalar, PenceScalar, formatGraphQLError } from '@iap/common';
import type { GraphQLContext } from '../../../src/shared/graphql-context.js';
import { CoreModule, type CoreOptions } from './core.module.js';

export interface AppOptions extends Omit<CoreOptions, 'runProjections'> {
  readonly graphiql: boolean;
}

const CORRELATION_ID = /^[A-Za-z0-9._:-]{1,100}$/;

@Module({})
export class AppModule {
  static forRoot(options: AppOptions): DynamicModule {
    const logger = new Logger('GraphQL');
    return {
      module: AppModule,
      imports: [
        CoreModule.forRoot({ ...options, runProjections: true }),
        GraphQLModule.forRoot<MercuriusDriverConfig>({
          driver: MercuriusDriver,
          autoSchemaFile: true,
          sortSchema: true,
          path: '/graphql',
          graphiql: options.graphiql,
          // graphql-ws (the graphql-transport-ws protocol) over WebSocket at the same /graphql path
          subscription: {
            context: () => ({ correlationId: randomUUID(), loaders: new Map() }),
          },
          context: (request: FastifyRequest, _reply: FastifyReply): GraphQLContext => {
            const given = request.headers['x-correlation-id'];
            return {
              correlationId: typeof given === 'string' && CORRELATION_ID.test(given) ? given : randomUUID(),
              loaders: new Map(),
            };
          },
          errorFormatter: (execution) => {
            const errors = (execution.errors ?? []).flatMap((e) =>
              formatGraphQLError(e, (err) =>
                logger.error(err instanceof Error ? (err.stack ?? err.message) : String(err)),
              ),
            );
            const statusCode = execution.data
              ? 200
              : ((execution as { statusCode?: number }).statusCode ?? 200);
            return { statusCode, response: { data: execution.data ?? null, errors } };
          },
        }),
      ],
      providers: [PenceScalar, JsonScalar],
    };
  }
}
