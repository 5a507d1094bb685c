import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { issueToken } from '@iap/auth';
import { freePort } from '@iap/database';
import {
  buildServer,
  embeddedPort,
  killServerAndDatabase,
  startServer,
  type ServerProcess,
} from './support/built-server.js';

/**
 * A mutation answered with success survives kill -9 of the server and its embedded database at any moment,
 * and after a restart the read model holds it exactly once.
 */
describe('crash safety: kill -9 of the server and its embedded PostgreSQL', () => {
  let build: Awaited<ReturnType<typeof buildServer>>;
  let dataDir: string;
  let server: ServerProcess | undefined;
  const env = { ...process.env };
  delete env.DATABASE_URL; // the point is the embedded database
  delete env.EVENTSTORE_CONNECTION_STRING;
  // Writes need a token: the central team's, signed with the secret the server is given.
  env.JWT_SECRET = 'crash-test-secret-long-enough-for-hs256-0123';
  const authorization = `Bearer ${issueToken(env.JWT_SECRET, { sub: 'crash-test', role: 'CENTRAL' }, { expiresInSeconds: 3600 })}`;

  beforeAll(async () => {
    build = await buildServer();
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'iap-crash-'));
  }, 180_000);

  afterAll(async () => {
    if (server && server.child.exitCode === null) await killServerAndDatabase(server, dataDir);
    // A last clean start and stop leaves no server behind on the data directory.
    await build?.remove();
    if (dataDir) await rm(dataDir, { recursive: true, force: true });
  });

  async function register(url: string, code: string): Promise<boolean> {
    try {
      const res = await fetch(`${url}/graphql`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization },
        body: JSON.stringify({
          query: 'mutation($i: RegisterAreaInput!) { registerArea(input: $i) { code } }',
          variables: { i: { code, name: `Council ${code}`, kind: 'NON_PILOT', region: 'South East' } },
        }),
      });
      const body = (await res.json()) as { data?: { registerArea?: { code: string } } };
      return body.data?.registerArea?.code === code;
    } catch {
      return false; // the connection died with the server: not acknowledged
    }
  }

  it('keeps every acknowledged registration, projected exactly once, across repeated kills', async () => {
    const acknowledged = new Set<string>();
    let next = 1;
    for (let round = 0; round < 3; round++) {
      server = await startServer(build.main, { ...env, DATA_DIR: dataDir }, await freePort());
      const url = server.url;
      // Four clients write until the kill, which lands at a random moment mid-traffic.
      // A server just started answers its first writes slowly on a busy machine (one CI run acknowledged two in
      // three rounds of a fixed window), so the kill's window opens once this round has had writes acknowledged.
      let killed = false;
      let acknowledgedThisRound = 0;
      const writers = Array.from({ length: 4 }, async () => {
        while (!killed) {
          const code = `E07${String(next++).padStart(6, '0')}`;
          if (await register(url, code)) {
            acknowledged.add(code);
            acknowledgedThisRound++;
          }
        }
      });
      const warmUntil = Date.now() + 30_000;
      while (acknowledgedThisRound < 4 && Date.now() < warmUntil) await new Promise((r) => setTimeout(r, 20));
      await new Promise((r) => setTimeout(r, 300 + Math.random() * 700));
      await killServerAndDatabase(server, dataDir);
      killed = true;
      await Promise.all(writers);
    }

    // Restart and check: every acknowledged area is there, and read model and log agree exactly.
    server = await startServer(build.main, { ...env, DATA_DIR: dataDir }, await freePort());
    const port = embeddedPort(dataDir);
    const client = new pg.Client({
      connectionString: `postgres://postgres:postgres@127.0.0.1:${port}/postgres`,
    });
    await client.connect();
    try {
      let projected: string[] = [];
      let logged: string[] = [];
      const deadline = Date.now() + 30_000;
      do {
        logged = (
          await client.query(
            `SELECT data->>'code' AS code FROM es_events WHERE event_type = 'AreaRegistered'`,
          )
        ).rows.map((r) => r.code);
        projected = (await client.query('SELECT code FROM areas')).rows.map((r) => r.code);
        if (projected.length === logged.length) break;
        await new Promise((r) => setTimeout(r, 100));
      } while (Date.now() < deadline);

      expect(acknowledged.size).toBeGreaterThan(10);
      for (const code of acknowledged) expect(logged).toContain(code);
      expect(new Set(logged).size).toBe(logged.length);
      expect(projected.sort()).toEqual([...logged].sort());
    } finally {
      await client.end();
      server.child.kill('SIGTERM');
      await new Promise((r) => server!.child.once('exit', r));
    }
  }, 240_000);
});
