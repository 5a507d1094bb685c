import { Injectable } from '@nestjs/common';
import type { RecordedEvent } from '@iap/event-store';
import { type Projection, type ProjectionContext, ReadModelProjection } from '@iap/projections';
import type { MigrationInterface, QueryRunner } from 'typeorm';
import type { ThemeEvent } from '../domain/theme.js';

export class CreateThemes1732500002000 implements MigrationInterface {
  name = 'CreateThemes1732500002000';
  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE themes (
      code text PRIMARY KEY,
      name text NOT NULL,
      kind text NOT NULL,
      description text NOT NULL,
      retired boolean NOT NULL DEFAULT false,
      version int NOT NULL
    )`);
  }
  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE themes');
  }
}

@ReadModelProjection()
@Injectable()
export class ThemesProjection implements Projection {
  readonly name = 'themes';
  readonly tables = ['themes'];
  readonly eventTypes = ['ThemeDefined', 'ThemeRevised', 'ThemeRetired'];

  async apply(events: readonly RecordedEvent[], ctx: ProjectionContext): Promise<void> {
    const t = ctx.table('themes');
    for (const e of events as unknown as readonly (RecordedEvent & ThemeEvent)[]) {
      switch (e.type) {
        case 'ThemeDefined':
          await ctx.query(
            `INSERT INTO ${t} (code, name, kind, description, version) VALUES ($1, $2, $3, $4, 1)`,
            [e.data.code, e.data.name, e.data.kind, e.data.description],
          );
          break;
        case 'ThemeRevised':
          await ctx.query(
            `UPDATE ${t} SET name = $2, description = $3, version = version + 1 WHERE code = $1`,
            [e.data.code, e.data.name, e.data.description],
          );
          break;
        case 'ThemeRetired':
          await ctx.query(`UPDATE ${t} SET retired = true, version = version + 1 WHERE code = $1`, [
            e.data.code,
          ]);
          break;
      }
    }
  }
}
