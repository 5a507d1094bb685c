import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname ?? '.', '../../..');

/** package.json's `start`, as words. */
function npmStart(): string[] {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8')) as {
    scripts: Record<string, string>;
  };
  return pkg.scripts.start!.trim().split(/\s+/);
}

/** The image's CMD (its JSON form), as words. */
function dockerCmd(): string[] {
  const line = readFileSync(path.join(root, 'Dockerfile'), 'utf8')
    .split('\n')
    .find((l) => l.startsWith('CMD '));
  return JSON.parse(line!.slice('CMD '.length)) as string[];
}

describe('the server is started one way', () => {
  it('by npm start and by the image alike (and the benches run what npm start runs: bench/support/server.ts)', () => {
    expect(dockerCmd()).toEqual(npmStart());
  });

  it('with the heap sized for the server (README, "Downloads and open data") and tracing loaded first', () => {
    const [node, ...args] = npmStart();
    expect(node).toBe('node');
    expect(args).toEqual([
      '--heap-growing-percent=30',
      '--max-semi-space-size=8',
      '--import',
      './dist/apps/server/src/tracing.js',
      'dist/apps/server/src/main.js',
    ]);
  });
});
