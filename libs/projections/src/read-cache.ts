import { createHash } from 'node:crypto';
import type { Queryable } from './as-of.js';

/**
 * The read models' version: every projection's checkpoint and when it last moved. Any batch a projection
 * commits (and any rebuild swapped in) changes it, so a result read at one version is exactly what a query
 * would read again at that version. One small query on a table of one row per projection.
 */
export async function readModelVersion(db: Queryable): Promise<string> {
  const rows: { v: string | null }[] = await db.query(
    `SELECT string_agg(name || ':' || commit_position || '/' || prepare_position || '@' || updated_at, ',' ORDER BY name) AS v
       FROM projection_checkpoints`,
  );
  return rows[0]?.v ?? '';
}

/** A version as one request read it: `readAt` orders versions read by different requests. */
export interface ReadVersion {
  readonly value: string;
  readonly readAt: number;
}

let reads = 0;

/** Reads the version and stamps it with the order in which it was read (later reads see later versions). */
export async function readVersion(db: Queryable): Promise<ReadVersion> {
  const readAt = ++reads;
  return { value: await readModelVersion(db), readAt };
}

/** Freezes a query result all the way down, so no caller can change what the next one will be given. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value as object)) deepFreeze(v);
  }
  return value;
}

export interface ReadCacheOptions {
  /** Results kept (least recently used dropped first). 0 turns the cache off. */
  readonly maxEntries: number;
  /** Results with more rows than this are not kept. */
  readonly maxRows?: number;
  /** Roughly how much memory the kept values may take, in bytes (least recently used dropped first). */
  readonly maxBytes?: number;
}

/** Keys are kept as digests: a client cannot make the cache hold its long query or variables. */
function digest(key: string): string {
  return createHash('sha256').update(key).digest('base64');
}

/** A value's size as kept: a string's length, or its JSON's for rows (measured once, when kept). */
function sizeOf(value: unknown): number {
  return typeof value === 'string' ? value.length * 2 : (JSON.stringify(value)?.length ?? 0) * 2;
}

/**
 * Query results of the current read-model version, least recently used dropped first. A result is only ever
 * served to a request that read the same version, so it is exactly what the database would answer: never
 * stale. When a request brings a version read later than the cache's, the cache starts again at that version;
 * a request still holding an older one reads the database directly. Results are frozen: callers map them,
 * never change them in place.
 */
export class ReadModelCache {
  private version: ReadVersion | null = null;
  private readonly entries = new Map<string, { value: unknown; bytes: number }>();
  private readonly maxRows: number;
  private readonly maxBytes: number;
  private maxEntries: number;
  private bytes = 0;
  hits = 0;
  misses = 0;

  constructor(options: ReadCacheOptions) {
    this.maxEntries = options.maxEntries;
    this.maxRows = options.maxRows ?? 2000;
    this.maxBytes = options.maxBytes ?? 64 * 1024 * 1024;
  }

  get enabled(): boolean {
    return this.maxEntries > 0;
  }

  /** Changes how many results it keeps (0: off), forgetting those it has. */
  resize(maxEntries: number): void {
    this.maxEntries = maxEntries;
    this.version = null;
    this.clear();
  }

  /** Roughly the memory the kept values take, in bytes. */
  get size(): { entries: number; bytes: number } {
    return { entries: this.entries.size, bytes: this.bytes };
  }

  private clear(): void {
    this.entries.clear();
    this.bytes = 0;
  }

  /** The cached result of `sql` with `params` at `version`, or the database's (kept for the next request). */
  async query<T>(
    db: Queryable,
    version: ReadVersion,
    sql: string,
    params: readonly unknown[] | undefined,
  ): Promise<T> {
    const key = params && params.length > 0 ? `${sql}\u0000${JSON.stringify(params)}` : sql;
    const found = this.lookup(version, key);
    if (found) return found.value as T;
    const result = await db.query<T>(sql, params as unknown[]);
    if (!Array.isArray(result) || result.length <= this.maxRows) this.keep(version, key, deepFreeze(result));
    return result;
  }

  /**
   * What was kept under `key` at `version`, if anything (the key names everything the value depends on
   * besides the read models). Counts a hit or a miss.
   */
  lookup(version: ReadVersion, key: string): { value: unknown } | undefined {
    if (!this.usable(version)) return undefined;
    const id = digest(key);
    const entry = this.entries.get(id);
    if (!entry) {
      this.misses++;
      return undefined;
    }
    // Most recently used last.
    this.entries.delete(id);
    this.entries.set(id, entry);
    this.hits++;
    return { value: entry.value };
  }

  /** Keeps `value` under `key` if `version` is still the cache's own (a frozen or immutable value). */
  keep(version: ReadVersion, key: string, value: unknown): void {
    if (!this.enabled || this.version?.value !== version.value) return;
    const bytes = sizeOf(value) + 200; // the digest, the entry and the map's own share
    if (bytes > this.maxBytes / 16) return; // one value may not take a large share of the budget
    const id = digest(key);
    const old = this.entries.get(id);
    if (old) {
      this.entries.delete(id);
      this.bytes -= old.bytes;
    }
    this.entries.set(id, { value, bytes });
    this.bytes += bytes;
    while (this.entries.size > this.maxEntries || this.bytes > this.maxBytes) {
      const [oldest, entry] = this.entries.entries().next().value as [string, { bytes: number }];
      this.entries.delete(oldest);
      this.bytes -= entry.bytes;
    }
  }

  /** Whether results of `version` may be served and kept: it is the cache's, or newer (the cache moves on). */
  private usable(version: ReadVersion): boolean {
    if (!this.enabled) return false;
    if (this.version?.value === version.value) return true;
    if (this.version && version.readAt < this.version.readAt) return false;
    this.version = version;
    this.clear();
    return true;
  }
}
