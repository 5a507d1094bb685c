import {
  type DynamicModule,
  Global,
  Inject,
  Logger,
  Module,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import { DiscoveryModule, DiscoveryService } from '@nestjs/core';
import { EventStore } from '@iap/event-store';
import { DataSource, type DataSourceOptions } from 'typeorm';
import type { Projection } from './projection.js';
import { ProjectionRunner } from './projection-runner.js';
import type { LeadershipOptions } from './leadership.js';

/** Marks a provider as a read-model projection, run by the ProjectionRunner. */
export const ReadModelProjection = DiscoveryService.createDecorator<void>();

export interface ProjectionsModuleOptions {
  /** Start following the log when the application starts (the server); false for the CLI. */
  readonly autoStart: boolean;
  readonly batchSize?: number;
  /** Run each projection only while this instance leads it (see ProjectionLeadership); unset: run them all. */
  readonly leadership?: LeadershipOptions;
  /**
   * A pool of the projections' own (the server): their batches, each a transaction holding a connection for the
   * whole batch, then never wait behind requests, nor requests behind them. `extra` overrides the application
   * pool's pg settings (its size above all). Unset: the projections share the application's DataSource (the CLI).
   */
  readonly pool?: { readonly extra: Record<string, unknown> };
}

const OPTIONS = Symbol('PROJECTIONS_OPTIONS');

@Global()
@Module({})
export class ProjectionsModule implements OnApplicationBootstrap, OnModuleDestroy {
  constructor(
    @Inject(ProjectionRunner) private readonly runner: ProjectionRunner,
    @Inject(OPTIONS) private readonly options: ProjectionsModuleOptions,
  ) {}

  static forRoot(options: ProjectionsModuleOptions): DynamicModule {
    const logger = new Logger('Projections');
    return {
      module: ProjectionsModule,
      imports: [DiscoveryModule],
      providers: [
        { provide: OPTIONS, useValue: options },
        {
          provide: ProjectionRunner,
          inject: [DiscoveryService, EventStore, DataSource],
          useFactory: async (discovery: DiscoveryService, store: EventStore, dataSource: DataSource) => {
            const projections = discovery
              .getProviders({ metadataKey: ReadModelProjection.KEY })
              .map((w) => w.instance as Projection)
              .filter(Boolean);
            const own = options.pool
              ? await projectionDataSource(dataSource, options.pool.extra)
              : dataSource;
            return new ProjectionRunner(store, own, projections, {
              batchSize: options.batchSize,
              leadership: options.leadership,
              log: (message, error) =>
                logger.error(`${message}: ${error instanceof Error ? error.stack : String(error)}`),
            });
          },
        },
      ],
      exports: [ProjectionRunner],
    };
  }

  onApplicationBootstrap(): void {
    if (this.options.autoStart) this.runner.start();
  }

  /** Stops first (module destruction precedes shutdown), while the event store and database are still open. */
  async onModuleDestroy(): Promise<void> {
    await this.runner.stop();
    // The projections' own pool (see ProjectionsModuleOptions.pool), once no batch can use it any more.
    if (this.options.pool && this.runner.dataSource.isInitialized) await this.runner.dataSource.destroy();
  }
}

/** A DataSource like the application's (same database, same settings), on a pool of its own. */
async function projectionDataSource(app: DataSource, extra: Record<string, unknown>): Promise<DataSource> {
  const options = app.options as DataSourceOptions & { extra?: Record<string, unknown> };
  const own = new DataSource({
    ...options,
    extra: { ...options.extra, ...extra },
    migrationsRun: false,
    synchronize: false,
  } as DataSourceOptions);
  await own.initialize();
  return own;
}
