import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import { DataSource } from 'typeorm';
import { GuardedClient } from './guarded-client.js';
import { createTestDatabase, type TestDatabase } from './test-database.js';

/**
 * A proxy on loopback in front of the real PostgreSQL that, for the next `n` connections, holds back what the
 * server says after authentication until ReadyForQuery, terminates that backend (`pg_terminate_backend`, its
 * pid from BackendKeyData), waits for the server to close, and only then hands everything over in one write: the
 * client reads ReadyForQuery and the FATAL "terminating connection" together, as a busy machine does when a
 * backend is terminated just after it answered. Other connections pass through.
 */
async function terminatingProxy(
  upstream: URL,
  terminate: (pid: number) => Promise<void>,
): Promise<{ url: string; terminateNext(n: number): void; terminated(): number; close(): Promise<void> }> {
  let toTerminate = 0;
  let terminated = 0;
  const sockets = new Set<net.Socket>();
  const server = net.createServer((client) => {
    const target = net.connect(Number(upstream.port || 5432), upstream.hostname);
    sockets.add(client).add(target);
    client.on('close', () => sockets.delete(client));
    target.on('close', () => sockets.delete(target));
    client.on('error', () => target.destroy());
    target.on('error', () => client.destroy());
    client.pipe(target);
    if (toTerminate === 0) {
      target.pipe(client);
      return;
    }
    toTerminate--;
    let state: 'authenticating' | 'holding' | 'terminating' = 'authenticating';
    let unread = Buffer.alloc(0);
    const held: Buffer[] = [];
    let pid = 0;
    target.on('data', (chunk: Buffer) => {
      if (state === 'terminating') {
        held.push(chunk);
        return;
      }
      unread = Buffer.concat([unread, chunk]);
      while (unread.length >= 5 && unread.length >= 1 + unread.readInt32BE(1)) {
        const message = unread.subarray(0, 1 + unread.readInt32BE(1));
        unread = unread.subarray(message.length);
        const type = String.fromCharCode(message[0]);
        if (state === 'authenticating') {
          client.write(message);
          if (type === 'R' && message.readInt32BE(5) === 0) state = 'holding'; // AuthenticationOk
          continue;
        }
        held.push(message);
        if (type === 'K') pid = message.readInt32BE(5); // BackendKeyData
        if (type === 'Z') {
          state = 'terminating';
          held.push(unread);
          void terminate(pid);
          return;
        }
      }
    });
    target.on('end', () => {
      if (state === 'authenticating') return client.end();
      if (state === 'terminating') terminated++;
      client.end(Buffer.concat(held));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = new URL(upstream);
  url.hostname = '127.0.0.1';
  url.port = String((server.address() as net.AddressInfo).port);
  return {
    url: url.toString(),
    terminateNext: (n) => (toTerminate = n),
    terminated: () => terminated,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise((r) => server.close(r));
    },
  };
}

/**
 * Without GuardedClient the client emits 'error' with no listener, which Node throws from the socket's handler:
 * in a server, the process ends; here, Jest fails the test with "Unhandled error".
 */
describe('GuardedClient: a connection terminated as it is handed out does not end the process', () => {
  let db: TestDatabase;
  let admin: pg.Client;
  let proxy: Awaited<ReturnType<typeof terminatingProxy>>;

  beforeAll(async () => {
    db = await createTestDatabase('iap_guarded');
    admin = new pg.Client({ connectionString: db.url });
    await admin.connect();
    proxy = await terminatingProxy(new URL(db.url), async (pid) => {
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
    });
  });

  afterAll(async () => {
    await proxy?.close();
    await admin?.end();
    await db?.drop();
  });

  it('TypeORM (its query runner adds its listener a microtask late): that query fails, the next one answers', async () => {
    // Idle connections close at once: each query opens a new one.
    const ds = new DataSource({
      type: 'postgres',
      url: proxy.url,
      extra: { max: 2, idleTimeoutMillis: 1, Client: GuardedClient },
    });
    await ds.initialize();
    await new Promise((r) => setTimeout(r, 50));
    try {
      proxy.terminateNext(1);
      await expect(ds.query('SELECT 1 AS one')).rejects.toThrow(/terminat|not queryable/);
      expect(proxy.terminated()).toBe(1);
      expect(await ds.query('SELECT 1 AS one')).toEqual([{ one: 1 }]);
    } finally {
      await ds.destroy();
    }
  });

  it('a pool client checked out with `await pool.connect()`: its query fails, the pool goes on', async () => {
    const pool = new pg.Pool({ connectionString: proxy.url, max: 2, Client: GuardedClient });
    const poolErrors: Error[] = [];
    pool.on('error', (err) => poolErrors.push(err));
    try {
      proxy.terminateNext(1);
      const client = await pool.connect();
      const failed = await client.query('SELECT 1').then(
        () => null,
        (err: Error) => err,
      );
      client.release(failed ?? undefined);
      expect(failed?.message).toMatch(/terminat|not queryable/);
      expect((await pool.query('SELECT 2 AS two')).rows).toEqual([{ two: 2 }]);
    } finally {
      await pool.end();
    }
  });
});
