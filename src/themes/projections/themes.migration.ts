import type { MigrationInterface, QueryRunner } from 'typeorm';
import { currentVersionsMigration, historyMigration } from '@iap/projections';
import { THEMES_TABLE } from './themes.projection.js';

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

export const ThemesHistory1732500010200 = historyMigration(
  'ThemesHistory1732500010200',
  [THEMES_TABLE],
  [{ name: 'themes', tables: ['themes'] }],
);

/** The themes context's migrations, in order. */
export const THEMES_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateThemes1732500002000,
  ThemesHistory1732500010200,
  currentVersionsMigration('ThemesCurrentVersions1732500011200', [THEMES_TABLE]),
];
