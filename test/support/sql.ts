import pg from 'pg';

/** Runs one statement on its own connection to `url` and answers its rows: for checking a database directly. */
export async function sqlRows<T = Record<string, unknown>>(
  url: string,
  text: string,
  values: unknown[] = [],
): Promise<T[]> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    return (await c.query(text, values)).rows as T[];
  } finally {
    await c.end();
  }
}
