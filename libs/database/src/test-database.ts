import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** The server that test databases are created on: `DATABASE_URL`, or the embedded one the test setup started. */
export function testAdminUrl(): string {
  const url = process.env.DATABASE_URL ?? process.env.IAP_TEST_ADMIN_URL;
  if (!url) throw new Error('No test database server: set DATABASE_URL or run through the Jest global setup');
  return url;
}

export interface TestDatabase {
  readonly url: string;
  readonly name: string;
  drop(): Promise<void>;
}

/** A fresh, empty database on the test server, so that test files never share state. */
export async function createTestDatabase(prefix = 'iap_test'): Promise<TestDatabase> {
  const admin = testAdminUrl();
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const client = new pg.Client({ connectionString: admin });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    name,
    async drop() {
      const c = new pg.Client({ connectionString: admin });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
