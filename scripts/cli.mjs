// `npm run cli -- <command>`: compiles only when the sources are newer than dist/ (see build.mjs), then runs the
// compiled CLI in this process.
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, buildIfStale } from './build.mjs';

try {
  buildIfStale();
} catch (err) {
  process.stderr.write(`${err.message}\n`);
  process.exit(1);
}
await import(pathToFileURL(path.join(ROOT, 'dist', 'apps', 'cli', 'src', 'main.js')).href);
