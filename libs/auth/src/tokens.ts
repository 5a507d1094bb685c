import { type KeyObject, createSecretKey } from 'node:crypto';
import { JsonWebTokenError, JwtService, NotBeforeError, TokenExpiredError } from '@nestjs/jwt';
import { JwksKeySource } from './jwks.js';
import { InvalidTokenError } from './errors.js';
import { ONS_LOCAL_AUTHORITY_CODE, ONS_LOCAL_AUTHORITY_CODE_MESSAGE } from '@iap/common';
import { type AuthActor, type Role, isRole } from './roles.js';

/** How tokens are checked: an HS256 shared secret, an RS256 identity provider's JWKS URL, or both. */
export interface TokenSettings {
  /** HS256 secret (at least 32 characters). Tokens issued by `npm run cli -- token:issue` are signed with it. */
  readonly secret?: string;
  /** JWKS URL of an identity provider whose RS256 tokens are accepted. */
  readonly jwksUrl?: string;
  /** When set, tokens must carry this `iss`. */
  readonly issuer?: string;
  /** When set, tokens must carry this `aud`. */
  readonly audience?: string;
}

/** The claims of a token this service accepts. */
export interface TokenClaims {
  readonly sub: string;
  readonly name?: string;
  readonly role: Role;
  readonly area?: string;
}

export const MIN_SECRET_LENGTH = 32;
const MAX_TOKEN_LENGTH = 8192;
/** How many verified HS256 tokens are remembered (each until its own expiry). */
const VERIFIED_KEPT = 1000;

/** Reads `30d`, `12h`, `15m`, `90s` (or plain seconds) as seconds. */
export function parseDuration(text: string): number {
  const m = /^(\d{1,7})\s*([smhdw]?)$/.exec(text.trim());
  if (!m) throw new Error(`"${text}" is not a duration such as 30d, 12h, 15m or 90s`);
  const unit = { '': 1, s: 1, m: 60, h: 3600, d: 86_400, w: 604_800 }[
    m[2] as '' | 's' | 'm' | 'h' | 'd' | 'w'
  ];
  const seconds = Number(m[1]) * unit;
  if (seconds <= 0) throw new Error('a token must be valid for at least one second');
  return seconds;
}

/** Checks a token's claims, naming the first problem; the actor they describe. */
export function actorFromClaims(payload: unknown): AuthActor {
  if (typeof payload !== 'object' || payload === null) throw new InvalidTokenError('it carries no claims');
  const p = payload as Record<string, unknown>;
  if (typeof p.sub !== 'string' || p.sub.length === 0 || p.sub.length > 200)
    throw new InvalidTokenError('it has no subject (sub)');
  if (typeof p.exp !== 'number') throw new InvalidTokenError('it has no expiry (exp)');
  if (p.role === undefined || p.role === null || p.role === '') throw new InvalidTokenError('it has no role');
  if (!isRole(p.role)) throw new InvalidTokenError('its role is not CENTRAL, PILOT or COUNCIL');
  if (p.name !== undefined && (typeof p.name !== 'string' || p.name.length > 200))
    throw new InvalidTokenError('its name is not a short string');
  if (
    p.area !== undefined &&
    p.area !== null &&
    (typeof p.area !== 'string' || !ONS_LOCAL_AUTHORITY_CODE.test(p.area))
  )
    throw new InvalidTokenError(`its area ${ONS_LOCAL_AUTHORITY_CODE_MESSAGE}`);
  if (p.role !== 'CENTRAL' && typeof p.area !== 'string')
    throw new InvalidTokenError(`a ${p.role} token must name its council's area code`);
  return {
    subject: p.sub,
    role: p.role,
    ...(typeof p.name === 'string' ? { name: p.name } : {}),
    ...(typeof p.area === 'string' ? { area: p.area } : {}),
  };
}

/** Verifies bearer tokens (HS256 and/or RS256 via JWKS) with @nestjs/jwt and turns them into actors. */
export class TokenVerifier {
  private readonly jwt = new JwtService({});
  private readonly jwks: JwksKeySource | null;
  /**
   * The HS256 secret as a key object, made once: given a string, jsonwebtoken first tries (and fails) to read
   * it as a public key on every verification, which cost more than the rest of a cached request.
   */
  private readonly secretKey: KeyObject | null;
  /**
   * HS256 tokens already verified, and their actors, until each token's expiry: a client sends the same token
   * with every request, and its signature and claims cannot change meanwhile (the secret is fixed for the
   * process). RS256 tokens are verified every time (the identity provider may withdraw a key). Least recently
   * used first; a refused token is never kept.
   */
  private readonly verified = new Map<string, { actor: AuthActor; expiresAtMs: number }>();

  constructor(private readonly settings: TokenSettings) {
    if (!settings.secret && !settings.jwksUrl)
      throw new Error('Token verification needs a JWT secret or a JWKS URL');
    this.jwks = settings.jwksUrl ? new JwksKeySource(settings.jwksUrl) : null;
    this.secretKey = settings.secret ? createSecretKey(Buffer.from(settings.secret, 'utf8')) : null;
  }

  /** The actor of an `Authorization` header value (`Bearer <token>`); InvalidTokenError otherwise. */
  async verifyHeader(header: string): Promise<AuthActor> {
    const m = /^Bearer[ ]+([^\s]+)\s*$/i.exec(header);
    if (!m) throw new InvalidTokenError('the Authorization header must be "Bearer <token>"');
    return this.verify(m[1]);
  }

  async verify(token: string): Promise<AuthActor> {
    const known = this.verified.get(token);
    if (known) {
      this.verified.delete(token);
      // jsonwebtoken's own test: expired once the whole seconds of now reach `exp`
      if (Date.now() < known.expiresAtMs) {
        this.verified.set(token, known);
        return known.actor;
      }
    }
    if (token.length > MAX_TOKEN_LENGTH) throw new InvalidTokenError('it is too long');
    const decoded = this.decodeHeader(token);
    const common = {
      ...(this.settings.issuer ? { issuer: this.settings.issuer } : {}),
      ...(this.settings.audience ? { audience: this.settings.audience } : {}),
    };
    let payload: unknown;
    try {
      if (decoded.alg === 'HS256' && this.secretKey) {
        payload = await this.jwt.verifyAsync(token, {
          ...common,
          secret: this.secretKey as unknown as string, // jsonwebtoken takes key objects as they are
          algorithms: ['HS256'],
        });
      } else if (decoded.alg === 'RS256' && this.jwks) {
        let key;
        try {
          key = await this.jwks.key(decoded.kid);
        } catch {
          throw new InvalidTokenError("the identity provider's keys could not be fetched; try again later");
        }
        if (!key)
          throw new InvalidTokenError('it is signed with a key the identity provider does not publish');
        payload = await this.jwt.verifyAsync(token, {
          ...common,
          publicKey: key as unknown as string, // the KeyObject itself: no PEM round trip per request
          algorithms: ['RS256'],
        });
      } else {
        throw new InvalidTokenError(`its algorithm ${String(decoded.alg)} is not accepted here`);
      }
    } catch (err) {
      if (err instanceof InvalidTokenError) throw err;
      if (err instanceof TokenExpiredError) throw new InvalidTokenError('it has expired');
      if (err instanceof NotBeforeError) throw new InvalidTokenError('it is not valid yet');
      if (err instanceof JsonWebTokenError) throw new InvalidTokenError(describe(err.message));
      throw new InvalidTokenError('it could not be verified');
    }
    const actor = Object.freeze(actorFromClaims(payload));
    if (decoded.alg === 'HS256') {
      if (this.verified.size >= VERIFIED_KEPT)
        this.verified.delete(this.verified.keys().next().value as string);
      this.verified.set(token, { actor, expiresAtMs: (payload as { exp: number }).exp * 1000 });
    }
    return actor;
  }

  private decodeHeader(token: string): { alg?: unknown; kid?: string } {
    const parts = token.split('.');
    if (parts.length !== 3) throw new InvalidTokenError('it is not a JSON Web Token');
    try {
      const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as Record<
        string,
        unknown
      >;
      if (typeof header !== 'object' || header === null) throw new Error('not an object');
      return { alg: header.alg, kid: typeof header.kid === 'string' ? header.kid : undefined };
    } catch {
      throw new InvalidTokenError('it is not a JSON Web Token');
    }
  }
}

function describe(message: string): string {
  if (/signature/i.test(message)) return 'its signature does not match';
  if (/audience/i.test(message)) return 'it is meant for another audience';
  if (/issuer/i.test(message)) return 'it comes from another issuer';
  if (/malformed|invalid token|unexpected/i.test(message)) return 'it is malformed';
  return 'it is not valid';
}

/** Signs an HS256 token for an actor (the CLI's token:issue, the demo and the tests). */
export function issueToken(
  secret: string,
  claims: TokenClaims,
  options: { expiresInSeconds: number; issuer?: string; audience?: string },
): string {
  if (secret.length < MIN_SECRET_LENGTH)
    throw new Error(`The JWT secret must be at least ${MIN_SECRET_LENGTH} characters`);
  actorFromClaims({ ...claims, exp: 0 }); // same rules as verification
  const payload: Record<string, unknown> = { sub: claims.sub, role: claims.role };
  if (claims.name) payload.name = claims.name;
  if (claims.area) payload.area = claims.area;
  return new JwtService({}).sign(payload, {
    secret,
    algorithm: 'HS256',
    expiresIn: options.expiresInSeconds,
    ...(options.issuer ? { issuer: options.issuer } : {}),
    ...(options.audience ? { audience: options.audience } : {}),
  });
}
