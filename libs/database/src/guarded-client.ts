import pg from 'pg';

/**
 * A `pg` client that always has an 'error' listener, so that its connection dying can never be an uncaught
 * exception that ends the process. Every pool of ours makes its clients with it (`Client: GuardedClient` in the
 * pool's settings; TypeORM passes its `extra` on to the pool).
 *
 * Why a pool's own listeners are not enough: a pool listens for errors on a client only while the client is
 * idle in it, and removes that listener as it hands the client out; the code it hands it to adds its own only
 * later. A client checked out as a promise (`await pool.connect()`, and TypeORM's query runners, which add their
 * listener in a `.then`) has none until the next microtask. A new connection is handed out from inside the
 * handler reading its socket, when it reads ReadyForQuery; if the same read also holds the backend's FATAL
 * (the backend was terminated just after it answered, e.g. by `pg_terminate_backend` or a restart, so both
 * arrive together on a busy machine), the client emits 'error' before any listener exists, and Node throws it.
 * That stopped a server in the fault suite (found by terminating every backend while the pools reconnected).
 *
 * The error is not lost: the client is no longer queryable, so its next query fails and the pool discards it;
 * the listeners that the pool and TypeORM add still hear the errors they are there for.
 */
export class GuardedClient extends pg.Client {
  constructor(config?: string | pg.ClientConfig) {
    super(config);
    this.on('error', ignore);
  }
}

function ignore(): void {
  // Reported where it matters: by the query that fails next, and by the pool's or TypeORM's own listener.
}
