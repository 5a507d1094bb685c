import { describe, expect, it } from '@jest/globals';
import { createLogger } from './logging.js';

describe('structured logs', () => {
  it('writes JSON lines and never credentials', () => {
    const lines: string[] = [];
    const logger = createLogger({ level: 'info', destination: { write: (s: string) => void lines.push(s) } });
    logger.info(
      {
        req: { headers: { authorization: 'Bearer secret-token', cookie: 'sid=1' } },
        token: 'abc',
        jwtSecret: 'xyz',
      },
      'hello',
    );
    const entry = JSON.parse(lines[0]);
    expect(entry).toMatchObject({ level: 'info', msg: 'hello', service: 'iap' });
    expect(entry.req.headers.authorization).toBe('[Redacted]');
    expect(lines.join('')).not.toMatch(/secret-token|sid=1|"abc"|xyz/);
  });
});
