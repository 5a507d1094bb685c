import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateSpreadsheetImports1732500014600 implements MigrationInterface {
  name = 'CreateSpreadsheetImports1732500014600';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE TABLE spreadsheet_imports (
      event_id uuid PRIMARY KEY,
      area_code text NOT NULL,
      quarter text NOT NULL,
      file_name text NOT NULL,
      digest text NOT NULL,
      rows_applied integer NOT NULL,
      actor_subject text,
      actor_name text,
      imported_at timestamptz NOT NULL
    )`);
    await q.query('CREATE INDEX spreadsheet_imports_area ON spreadsheet_imports (area_code, imported_at)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE spreadsheet_imports');
  }
}

/** The spreadsheets context's migrations, in order. */
export const SPREADSHEETS_MIGRATIONS: (new () => MigrationInterface)[] = [
  CreateSpreadsheetImports1732500014600,
];
