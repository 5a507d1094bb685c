import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GuardedClient } from '@iap/database';
import { EventStoreModule } from '@iap/event-store';
import { ProjectionsModule } from '@iap/projections';
import { AreasModule } from '../../../src/areas/areas.module.js';
import { SharedModule } from '../../../src/shared/shared.module.js';
import { ThemesModule } from '../../../src/themes/themes.module.js';
import { DeliveryModule } from '../../../src/delivery/delivery.module.js';
import { FundingModule } from '../../../src/funding/funding.module.js';
import { OutcomesModule } from '../../../src/outcomes/outcomes.module.js';
import { ActivityModule } from '../../../src/activity/activity.module.js';
import { LearningModule } from '../../../src/learning/learning.module.js';
import { ComparisonModule } from '../../../src/comparison/comparison.module.js';
import { DemoModule } from '../../../src/demo/demo.module.js';
import { ComparatorsModule } from '../../../src/comparators/comparators.module.js';

/** Bounds on waiting for the database (see databaseTimeouts in config.ts); 0 for a statement or lock: none. */
export interface DatabaseTimeouts {
  readonly connectMs: number;
  readonly lockMs: number;
  readonly statementMs: number;
}

/** The sizes of the server's pools of read-model connections (see databasePools in config.ts). */
export interface DatabasePools {
  /** Requests: GraphQL queries and mutations, pages, health checks (DATABASE_POOL_SIZE). */
  readonly requests: number;
  /** The projections' batches and checkpoints (DATABASE_PROJECTION_POOL_SIZE). */
  readonly projections: number;
}

/** The pg pool settings for the timeouts (every connection of the server's pools gets them). */
export function poolTimeouts(t: DatabaseTimeouts | undefined): Record<string, number> {
  if (!t) return {};
  return {
    connectionTimeoutMillis: t.connectMs,
    ...(t.lockMs > 0 ? { lock_timeout: t.lockMs } : {}),
    ...(t.statementMs > 0 ? { statement_timeout: t.statementMs } : {}),
  };
}
import { SpreadsheetsModule } from '../../../src/spreadsheets/spreadsheets.module.js';

/** Longest wait of a projection batch for a connection of the projections' pool. */
const PROJECTION_CONNECT_TIMEOUT_MS = 30_000;

export interface CoreOptions {
  readonly databaseUrl: string;
  /** A streaming replica of it that query operations read from (DATABASE_READ_URL). */
  readonly databaseReadUrl?: string;
  readonly eventStoreConnectionString?: string;
  /** Run the projectors in this process (the server: yes; the CLI: no). */
  readonly runProjections: boolean;
  /** Query results the read-model cache keeps (GraphQL queries only); 0 or unset: no cache. */
  readonly readCacheEntries?: number;
  /** How long a mutation waits for its read models before answering from its events (default 5000). */
  readonly readYourWritesWaitMs?: number;
  /** Bounds on waiting for the database (the server); unset: none (the CLI). */
  readonly databaseTimeouts?: DatabaseTimeouts;
  /**
   * The server's pools: requests get one, the projections (when this process runs them) another, so a busy
   * projection never keeps a request waiting for a connection. Unset: one pool of 10 for both (the CLI).
   */
  readonly databasePools?: DatabasePools;
}

/** Storage, the event store, projections and every bounded context: shared by the server and the CLI. */
@Module({})
export class CoreModule {
  static forRoot(options: CoreOptions): DynamicModule {
    return {
      module: CoreModule,
      imports: [
        TypeOrmModule.forRoot({
          type: 'postgres',
          url: options.databaseUrl,
          autoLoadEntities: true,
          synchronize: false,
          migrationsRun: false,
          // GuardedClient: a connection dying as it is handed out must not end the process.
          extra: {
            max: options.databasePools?.requests ?? 10,
            Client: GuardedClient,
            ...poolTimeouts(options.databaseTimeouts),
          },
        }),
        EventStoreModule.forRoot({
          databaseUrl: options.databaseUrl,
          eventStoreConnectionString: options.eventStoreConnectionString,
          poolOptions: poolTimeouts(options.databaseTimeouts),
        }),
        // Several instances may share the database: each projection runs in the one instance that leads it.
        ProjectionsModule.forRoot({
          autoStart: options.runProjections,
          leadership: { databaseUrl: options.databaseUrl },
          pool:
            options.runProjections && options.databasePools
              ? {
                  extra: {
                    max: options.databasePools.projections,
                    // The projections queue for their few connections in turn (a batch holds one for its whole
                    // transaction): their wait is bounded, but by more than a request's.
                    connectionTimeoutMillis: Math.max(
                      PROJECTION_CONNECT_TIMEOUT_MS,
                      options.databaseTimeouts?.connectMs ?? 0,
                    ),
                  },
                }
              : undefined,
        }),
        SharedModule.forRoot({
          readCacheEntries: options.readCacheEntries,
          readYourWritesWaitMs: options.readYourWritesWaitMs,
          databaseReadUrl: options.databaseReadUrl,
        }),
        AreasModule,
        ThemesModule,
        DeliveryModule,
        FundingModule,
        OutcomesModule,
        ActivityModule,
        LearningModule,
        ComparisonModule,
        ComparatorsModule,
        SpreadsheetsModule,
        DemoModule,
      ],
    };
  }
}
