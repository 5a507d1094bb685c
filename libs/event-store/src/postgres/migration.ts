import type { MigrationInterface, QueryRunner } from 'typeorm';
import {
  EVENT_STORE_SCHEMA_V1_DOWN,
  EVENT_STORE_SCHEMA_V1_UP,
  EVENT_STORE_SCHEMA_V2_DOWN,
  EVENT_STORE_SCHEMA_V2_UP,
} from './schema.js';

export class CreateEventStore1732500000000 implements MigrationInterface {
  name = 'CreateEventStore1732500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_V1_UP) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_V1_DOWN) await q.query(sql);
  }
}

/** The log's horizon from this store's appenders only; command ids unique across the store (see schema.ts). */
export class EventStoreHorizonAndCommands1796608000000 implements MigrationInterface {
  name = 'EventStoreHorizonAndCommands1796608000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_V2_UP) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_V2_DOWN) await q.query(sql);
  }
}

/** The event store's migrations, in order. */
export const EVENT_STORE_MIGRATIONS = [
  CreateEventStore1732500000000,
  EventStoreHorizonAndCommands1796608000000,
] as const;
