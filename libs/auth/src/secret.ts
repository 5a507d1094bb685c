import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { MIN_SECRET_LENGTH } from './tokens.js';

export const DEV_SECRET_FILE = 'jwt-secret';

/**
 * The HS256 secret to use. A configured JWT_SECRET wins (and must be long enough). Without one, production must
 * use an identity provider's JWKS; outside production (the zero-setup start) a random secret is made once and
 * kept in the data directory, so the tokens the demo and `token:issue` print keep working across restarts.
 */
export function resolveJwtSecret(options: {
  secret?: string;
  jwksUrl?: string;
  production: boolean;
  dataDir: string;
}): { secret?: string; source: 'configured' | 'generated' | 'none'; file?: string } {
  if (options.secret) {
    if (options.secret.length < MIN_SECRET_LENGTH)
      throw new Error(`JWT_SECRET must be at least ${MIN_SECRET_LENGTH} characters long`);
    return { secret: options.secret, source: 'configured' };
  }
  if (options.jwksUrl) return { source: 'none' };
  if (options.production)
    throw new Error('Set JWT_SECRET (HS256, at least 32 characters) or JWT_JWKS_URL (RS256) in production');
  const file = path.join(options.dataDir, DEV_SECRET_FILE);
  try {
    const existing = readFileSync(file, 'utf8').trim();
    if (existing.length >= MIN_SECRET_LENGTH) return { secret: existing, source: 'generated', file };
  } catch {
    // none yet
  }
  mkdirSync(options.dataDir, { recursive: true });
  const secret = randomBytes(32).toString('base64url');
  try {
    writeFileSync(file, secret + '\n', { mode: 0o600, flag: 'wx' });
    return { secret, source: 'generated', file };
  } catch {
    // another process made it first: use theirs
    return { secret: readFileSync(file, 'utf8').trim(), source: 'generated', file };
  }
}
