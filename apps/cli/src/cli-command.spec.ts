import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname ?? '.', '../../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

/** package.json's `cli`, as words. */
function npmCli(): string[] {
  const pkg = JSON.parse(read('package.json')) as { scripts: Record<string, string> };
  return pkg.scripts.cli!.trim().split(/\s+/);
}

/** Every `node … dist/apps/cli/src/main.js` (the CLI in the image) written in a file, as the words before the entry. */
function imageCommands(file: string): string[][] {
  return [...read(file).matchAll(/\bnode((?: --[\w-]+(?:=\S+)?)*) dist\/apps\/cli\/src\/main\.js/g)].map(
    (m) => m[1]!.trim().split(/\s+/).filter(Boolean),
  );
}

describe('the CLI is started one way', () => {
  it("with the heap settings a full rebuild's memory was measured with (README, issue 17)", () => {
    expect(npmCli()).toEqual([
      'node',
      '--heap-growing-percent=30',
      '--max-semi-space-size=8',
      'scripts/cli.mjs',
    ]);
  });

  it('in the image as by npm run cli (README and docker-compose.yml), and by the bench: bench/read/children.ts', () => {
    const options = npmCli().slice(1, -1);
    const written = [...imageCommands('README.md'), ...imageCommands('docker-compose.yml')];
    expect(written.length).toBeGreaterThanOrEqual(2);
    for (const command of written) expect(command).toEqual(options);
    expect(read('bench/read/children.ts')).toMatch(/phase === 'rebuild' \? cliNodeOptions\(\) : \[\]/);
  });
});
