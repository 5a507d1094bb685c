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
import { DataSource } from 'typeorm';
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
          useFactory: (discovery: DiscoveryService, store: EventStore, dataSource: DataSource) => {
            const projections = discovery
              .getProviders({ metadataKey: ReadModelProjection.KEY })
              .map((w) => w.instance as Projection)
              .filter(Boolean);
            return new ProjectionRunner(store, dataSource, projections, {
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
  }
}
