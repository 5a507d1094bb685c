import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it, jest } from '@jest/globals';
import { JwtService } from '@nestjs/jwt';
import { InvalidTokenError } from './errors.js';
import { TokenVerifier, actorFromClaims, issueToken, parseDuration } from './tokens.js';

const SECRET = 'unit-test-secret-that-is-long-enough-123456';
const exp = () => Math.floor(Date.now() / 1000) + 600;

describe('token claims', () => {
  it('accepts a CENTRAL token without an area and PILOT/COUNCIL tokens with one', () => {
    expect(actorFromClaims({ sub: 'c1', role: 'CENTRAL', exp: exp() })).toEqual({
      subject: 'c1',
      role: 'CENTRAL',
    });
    expect(actorFromClaims({ sub: 'p1', role: 'PILOT', area: 'E06000008', name: 'Jo', exp: exp() })).toEqual({
      subject: 'p1',
      role: 'PILOT',
      area: 'E06000008',
      name: 'Jo',
    });
  });

  it.each([
    ['no role', { sub: 'x', exp: 1 }, /no role/],
    ['an empty role', { sub: 'x', role: '', exp: 1 }, /no role/],
    ['an unknown role', { sub: 'x', role: 'ADMIN', exp: 1 }, /CENTRAL, PILOT or COUNCIL/],
    ['no subject', { role: 'CENTRAL', exp: 1 }, /subject/],
    ['no expiry', { sub: 'x', role: 'CENTRAL' }, /expiry/],
    ['a PILOT without an area', { sub: 'x', role: 'PILOT', exp: 1 }, /area code/],
    ['a COUNCIL without an area', { sub: 'x', role: 'COUNCIL', exp: 1 }, /area code/],
    ['a malformed area', { sub: 'x', role: 'PILOT', area: 'E0600000X', exp: 1 }, /ONS/],
    ['a non-string name', { sub: 'x', role: 'CENTRAL', name: 7, exp: 1 }, /name/],
  ])('refuses a token with %s', (_label, claims, message) => {
    expect(() => actorFromClaims(claims)).toThrow(InvalidTokenError);
    expect(() => actorFromClaims(claims)).toThrow(message);
  });

  it('reads durations', () => {
    expect(parseDuration('30d')).toBe(30 * 86_400);
    expect(parseDuration('12h')).toBe(43_200);
    expect(parseDuration('90')).toBe(90);
    expect(() => parseDuration('soon')).toThrow(/duration/);
    expect(() => parseDuration('0s')).toThrow(/at least one second/);
  });
});

describe('TokenVerifier', () => {
  const verifier = new TokenVerifier({ secret: SECRET });

  it('verifies an HS256 token it issued', async () => {
    const token = issueToken(
      SECRET,
      { sub: 'p1', role: 'PILOT', area: 'E06000008' },
      { expiresInSeconds: 60 },
    );
    await expect(verifier.verifyHeader(`Bearer ${token}`)).resolves.toEqual({
      subject: 'p1',
      role: 'PILOT',
      area: 'E06000008',
    });
  });

  it.each([
    [
      'expired',
      () => new JwtService({}).sign({ sub: 'x', role: 'CENTRAL', exp: 1 }, { secret: SECRET }),
      /expired/,
    ],
    [
      'wrongly signed',
      () =>
        issueToken(
          'another-secret-that-is-long-enough-000000',
          { sub: 'x', role: 'CENTRAL' },
          { expiresInSeconds: 60 },
        ),
      /signature/,
    ],
    ['malformed', () => 'abc.def.ghi', /not a JSON Web Token|malformed/],
    ['not a JWT', () => 'hello', /not a JSON Web Token/],
    [
      'unsigned (alg none)',
      () =>
        `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: 'x', role: 'CENTRAL', exp: exp() })).toString('base64url')}.`,
      /algorithm none/,
    ],
    ['role-less', () => new JwtService({}).sign({ sub: 'x', exp: exp() }, { secret: SECRET }), /no role/],
  ])('refuses a token that is %s', async (_label, make, message) => {
    await expect(verifier.verify(make())).rejects.toThrow(message);
  });

  it('refuses headers that are not Bearer tokens', async () => {
    await expect(verifier.verifyHeader('Basic dXNlcjpwYXNz')).rejects.toThrow(/Bearer/);
  });

  it('checks issuer and audience when configured', async () => {
    const strict = new TokenVerifier({ secret: SECRET, issuer: 'https://iap.example', audience: 'iap' });
    const good = issueToken(
      SECRET,
      { sub: 'c', role: 'CENTRAL' },
      { expiresInSeconds: 60, issuer: 'https://iap.example', audience: 'iap' },
    );
    const wrongAudience = issueToken(
      SECRET,
      { sub: 'c', role: 'CENTRAL' },
      { expiresInSeconds: 60, issuer: 'https://iap.example', audience: 'other' },
    );
    await expect(strict.verify(good)).resolves.toMatchObject({ subject: 'c' });
    await expect(strict.verify(wrongAudience)).rejects.toThrow(/audience/);
  });

  it('does not accept an RS256 token when only a secret is configured, nor HS256 signed with a public key', async () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const rs = new JwtService({}).sign(
      { sub: 'x', role: 'CENTRAL' },
      { privateKey, algorithm: 'RS256', expiresIn: 60 },
    );
    await expect(verifier.verify(rs)).rejects.toThrow(/RS256 is not accepted/);
    const pem = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const confused = new JwtService({}).sign(
      { sub: 'x', role: 'CENTRAL' },
      { secret: pem, algorithm: 'HS256', expiresIn: 60 },
    );
    await expect(verifier.verify(confused)).rejects.toThrow(/signature/);
  });

  it('remembers a verified HS256 token only until it expires, and never a refused one', async () => {
    const verifier = new TokenVerifier({ secret: SECRET });
    const token = issueToken(
      SECRET,
      { sub: 'p1', role: 'PILOT', area: 'E06000008' },
      { expiresInSeconds: 60 },
    );
    const first = await verifier.verify(token);
    expect(first).toEqual({ subject: 'p1', role: 'PILOT', area: 'E06000008' });
    expect(await verifier.verify(token)).toBe(first); // answered from memory
    expect(Object.isFrozen(first)).toBe(true); // shared by every request that sends it
    // another signature is verified, and refused, however alike its text
    const [h, p] = token.split('.');
    const forged = `${h}.${p}.${Buffer.from('not the signature').toString('base64url')}`;
    await expect(verifier.verify(forged)).rejects.toThrow(/signature/);
    await expect(verifier.verify(forged)).rejects.toThrow(/signature/);
    const now = Date.now();
    const clock = jest.spyOn(Date, 'now').mockReturnValue(now + 61_000);
    try {
      await expect(verifier.verify(token)).rejects.toThrow(/expired/);
    } finally {
      clock.mockRestore();
    }
  });

  it('will not issue with a short secret or for a PILOT without an area', () => {
    expect(() => issueToken('short', { sub: 'x', role: 'CENTRAL' }, { expiresInSeconds: 60 })).toThrow(/32/);
    expect(() => issueToken(SECRET, { sub: 'x', role: 'PILOT' }, { expiresInSeconds: 60 })).toThrow(/area/);
  });
});
