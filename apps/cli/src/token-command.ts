// These files, not @iap/auth's index: that loads NestJS, GraphQL and Fastify's plugins, and token:issue needs
// none of them (it starts in a fraction of the time without).
import { isRole } from '../../../libs/auth/src/roles.js';
import { resolveJwtSecret } from '../../../libs/auth/src/secret.js';
import { issueToken, parseDuration } from '../../../libs/auth/src/tokens.js';
import { loadConfig } from '../../server/src/config.js';

export const TOKEN_USAGE = `Usage: npm run cli -- token:issue --role CENTRAL|PILOT|COUNCIL [--area <ONS code>] [--name "<display name>"]
                               [--subject <id>] [--expires 30d]

Prints a bearer token (HS256, signed with JWT_SECRET, or outside production with the secret the server keeps in
DATA_DIR) for "Authorization: Bearer <token>". PILOT and COUNCIL tokens need --area (their council's ONS code).
--subject defaults to one made from the name (or the role and area); --expires to 30d (s, m, h, d or w).
`;

interface Flags {
  role?: string;
  area?: string;
  name?: string;
  subject?: string;
  expires?: string;
}

function parseFlags(args: readonly string[]): Flags {
  const flags: Record<string, string> = {};
  for (let i = 0; i < args.length; i++) {
    const m = /^--(role|area|name|subject|expires)(?:=(.*))?$/.exec(args[i]);
    if (!m) throw new Error(`Unknown argument "${args[i]}"`);
    const value = m[2] ?? args[++i];
    if (value === undefined || value === '') throw new Error(`--${m[1]} needs a value`);
    flags[m[1]] = value;
  }
  return flags;
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 80);
}

/**
 * `token:issue`: prints a signed token to stdout (and what it grants to stderr). Exit codes: 0 issued, 2 usage
 * error, 1 the configuration cannot sign tokens (only JWT_JWKS_URL is set: tokens then come from the identity
 * provider).
 */
export async function tokenIssue(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<number> {
  let flags: Flags;
  let expiresInSeconds: number;
  try {
    flags = parseFlags(args);
    if (!flags.role) throw new Error('--role is required');
    if (!isRole(flags.role)) throw new Error(`--role must be CENTRAL, PILOT or COUNCIL, got "${flags.role}"`);
    expiresInSeconds = parseDuration(flags.expires ?? '30d');
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n\n${TOKEN_USAGE}`);
    return 2;
  }
  const config = loadConfig(env);
  let secret: string | undefined;
  try {
    secret = resolveJwtSecret({
      secret: config.jwtSecret,
      jwksUrl: config.jwtJwksUrl,
      production: config.production,
      dataDir: config.dataDir,
    }).secret;
  } catch (err) {
    process.stderr.write(`${(err as Error).message}\n`);
    return 1;
  }
  if (!secret) {
    process.stderr.write(
      'No JWT_SECRET is configured: with JWT_JWKS_URL alone, tokens are issued by your identity provider.\n',
    );
    return 1;
  }
  const subject =
    flags.subject ?? (flags.name ? slug(flags.name) : slug(`${flags.role}-${flags.area ?? 'programme'}`));
  let token: string;
  try {
    token = issueToken(
      secret,
      { sub: subject, role: flags.role, area: flags.area, name: flags.name },
      { expiresInSeconds, issuer: config.jwtIssuer, audience: config.jwtAudience },
    );
  } catch (err) {
    process.stderr.write(
      `${(err as Error).message.replace(/^Your token was refused: /, 'Cannot issue: ')}\n`,
    );
    return 2;
  }
  const expires = new Date(Date.now() + expiresInSeconds * 1000).toISOString();
  process.stderr.write(
    `Token for ${subject} (${flags.role}${flags.area ? ` of ${flags.area}` : ''}), valid until ${expires}:\n`,
  );
  process.stdout.write(`${token}\n`);
  return 0;
}
