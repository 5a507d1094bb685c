import { afterEach, describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import { Logger } from '@nestjs/common';
import { createLogger, logNestThrough } from './logging.js';

function capture(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(
        ...chunk
          .toString('utf8')
          .split('\n')
          .filter((l) => l !== ''),
      );
      done();
    },
  });
  return { lines, stream };
}

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

  afterEach(() => Logger.overrideLogger(false));

  it("carries Nest's static Logger (used before the application exists, as main.ts does) as JSON", () => {
    const { lines, stream } = capture();
    logNestThrough(createLogger({ level: 'info', destination: stream }));
    new Logger('Server').log('No DATABASE_URL: starting embedded PostgreSQL');
    expect(lines.map((l) => JSON.parse(l))).toEqual([
      expect.objectContaining({
        level: 'info',
        context: 'Server',
        msg: 'No DATABASE_URL: starting embedded PostgreSQL',
      }),
    ]);
  });

  it('writes readable lines, not JSON, when pretty (LOG_FORMAT=pretty)', () => {
    const { lines, stream } = capture();
    createLogger({ level: 'info', destination: stream, pretty: true }).warn({ code: 'FORBIDDEN' }, 'Refused');
    expect(lines[0]).toMatch(/WARN.*Refused/);
    expect(() => JSON.parse(lines[0])).toThrow();
    expect(lines.join('\n')).toContain('FORBIDDEN');
  });
});
