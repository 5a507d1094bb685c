import { type DynamicModule, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
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
import { SpreadsheetsModule } from '../../../src/spreadsheets/spreadsheets.module.js';

export interface CoreOptions {
  readonly databaseUrl: string;
  readonly eventStoreConnectionString?: string;
  /** Run the projectors in this process (the server: yes; the CLI: no). */
  readonly runProjections: boolean;
  /** Query results the read-model cache keeps (GraphQL queries only); 0 or unset: no cache. */
  readonly readCacheEntries?: number;
  /** How long a mutation waits for its read models before answering from its events (default 5000). */
  readonly readYourWritesWaitMs?: number;
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
          extra: { max: 10 },
        }),
        EventStoreModule.forRoot({
          databaseUrl: options.databaseUrl,
          eventStoreConnectionString: options.eventStoreConnectionString,
        }),
        ProjectionsModule.forRoot({ autoStart: options.runProjections }),
        SharedModule.forRoot({
          readCacheEntries: options.readCacheEntries,
          readYourWritesWaitMs: options.readYourWritesWaitMs,
        }),
        AreasModule,
        ThemesModule,
        DeliveryModule,
        FundingModule,
        OutcomesModule,
        ActivityModule,
        LearningModule,
        ComparisonModule,
        SpreadsheetsModule,
        DemoModule,
      ],
    };
  }
}
