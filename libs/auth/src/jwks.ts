import { type KeyObject, createPublicKey } from 'node:crypto';

interface Jwk {
  kty?: string;
  kid?: string;
  use?: string;
  alg?: string;
  [key: string]: unknown;
}

/**
 * The RSA signing keys an identity provider publishes at its JWKS URL, by key id. Keys are cached; an unknown
 * key id refetches the set (the provider may have rotated keys), at most once per `minRefetchMs`, so a flood of
 * tokens with made-up key ids cannot turn into a flood of requests to the provider.
 */
export class JwksKeySource {
  private keys = new Map<string, KeyObject>();
  private fetchedAt = 0;
  private inflight: Promise<void> | null = null;

  constructor(
    private readonly url: string,
    private readonly options: { maxAgeMs?: number; minRefetchMs?: number; timeoutMs?: number } = {},
  ) {}

  /** The key for `kid` (or the only key, when the token names none); null when the provider has no such key. */
  async key(kid: string | undefined): Promise<KeyObject | null> {
    const maxAge = this.options.maxAgeMs ?? 10 * 60_000;
    const minRefetch = this.options.minRefetchMs ?? 30_000;
    const age = Date.now() - this.fetchedAt;
    if (this.fetchedAt === 0 || age > maxAge) await this.refresh();
    let found = this.pick(kid);
    if (!found && Date.now() - this.fetchedAt > minRefetch) {
      await this.refresh();
      found = this.pick(kid);
    }
    return found;
  }

  private pick(kid: string | undefined): KeyObject | null {
    if (kid !== undefined) return this.keys.get(kid) ?? null;
    return this.keys.size === 1 ? [...this.keys.values()][0] : null;
  }

  private refresh(): Promise<void> {
    this.inflight ??= this.load().finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async load(): Promise<void> {
    const res = await fetch(this.url, {
      headers: { accept: 'application/json' },
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 5_000),
    });
    if (!res.ok) throw new Error(`JWKS ${this.url} answered ${res.status}`);
    const body = (await res.json()) as { keys?: Jwk[] };
    const keys = new Map<string, KeyObject>();
    for (const [i, jwk] of (body.keys ?? []).entries()) {
      if (jwk.kty !== 'RSA' || (jwk.use !== undefined && jwk.use !== 'sig')) continue;
      if (jwk.alg !== undefined && jwk.alg !== 'RS256') continue;
      try {
        keys.set(jwk.kid ?? `#${i}`, createPublicKey({ key: jwk as never, format: 'jwk' }));
      } catch {
        // a malformed key in the set is skipped, not fatal
      }
    }
    this.keys = keys;
    this.fetchedAt = Date.now();
  }
}
