import type { MigrationInterface, QueryRunner } from 'typeorm';
import { EVENT_STORE_SCHEMA_DOWN, EVENT_STORE_SCHEMA_UP } from './schema.js';

export class CreateEventStore1732500000000 implements MigrationInterface {
  name = 'CreateEventStore1732500000000';

  async up(q: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_UP) await q.query(sql);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const sql of EVENT_STORE_SCHEMA_DOWN) await q.query(sql);
  }
}
