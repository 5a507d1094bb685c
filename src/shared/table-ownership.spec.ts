import { describe, expect, it } from '@jest/globals';
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Contexts meet only through their public-api.ts, and that holds for tables too: a context's SQL names only the
 * tables its own migrations create (another context's rows come through that context's read functions).
 */
const SRC = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory()
      ? filesUnder(path.join(dir, d.name))
      : d.name.endsWith('.ts')
        ? [path.join(dir, d.name)]
        : [],
  );
}

/** Each table a context's migrations create, and that context. */
function tableOwners(): Map<string, string> {
  const owners = new Map<string, string>();
  for (const context of readdirSync(SRC)) {
    const migrations = filesUnder(path.join(SRC, context)).filter((f) => f.endsWith('.migration.ts'));
    for (const file of migrations)
      for (const [, table] of readFileSync(file, 'utf8').matchAll(
        /CREATE TABLE (?:IF NOT EXISTS )?([a-z_]+)/g,
      ))
        owners.set(table, context);
  }
  return owners;
}

describe('the tables of a context', () => {
  it('are named in SQL by that context alone', () => {
    const owners = tableOwners();
    expect(owners.get('areas')).toBe('areas');
    const foreign: string[] = [];
    for (const file of filesUnder(SRC).filter((f) => !f.endsWith('.spec.ts'))) {
      const context = path.relative(SRC, file).split(path.sep)[0];
      const sql = readFileSync(file, 'utf8');
      for (const [, table] of sql.matchAll(/\b(?:FROM|JOIN|UPDATE|INTO)\s+([a-z_]+)\b/g)) {
        const owner = owners.get(table);
        if (owner && owner !== context) foreign.push(`${path.relative(SRC, file)}: ${table} (${owner})`);
      }
    }
    expect(foreign).toEqual([]);
  });
});
