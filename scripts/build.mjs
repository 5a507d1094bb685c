// Compiles the project to dist/ (tsc, then tsc-alias for the @iap/* paths) and records what it compiled in
// dist/.build-stamp. With --if-stale it compiles only when dist/ is missing or older than the sources: a change,
// an addition or a removal of any file the build compiles, or of the compiler configuration. `npm start` and
// `npm run cli` use it, so they compile once and then start at once.
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const SOURCE_DIRS = ['apps', 'libs', 'src', 'bench'];
const CONFIG_FILES = ['tsconfig.json', 'tsconfig.build.json'];
export const STAMP = path.join('dist', '.build-stamp');

/** Whether tsconfig.build.json compiles this file (it leaves out tests and test helpers). */
function compiled(relative) {
  const parts = relative.split(path.sep);
  const name = parts[parts.length - 1];
  return (
    /\.(ts|mts|cts|json)$/.test(name) &&
    !/\.(spec|test|e2e-spec)\.ts$/.test(name) &&
    !/\.d\.ts$/.test(name) &&
    !parts.includes('testing')
  );
}

/** Every file the build reads, with its modification time (ms), relative to `root`. */
export function sources(root = ROOT) {
  const found = new Map();
  const walk = (dir) => {
    let entries;
    try {
      entries = readdirSync(path.join(root, dir), { withFileTypes: true });
    } catch {
      return;
    }
    for (const e of entries) {
      const relative = path.join(dir, e.name);
      if (e.isDirectory()) {
        if (e.name !== 'node_modules') walk(relative);
      } else if (e.isFile() && compiled(relative)) {
        found.set(relative, statSync(path.join(root, relative)).mtimeMs);
      }
    }
  };
  for (const dir of SOURCE_DIRS) walk(dir);
  for (const file of CONFIG_FILES) {
    try {
      found.set(file, statSync(path.join(root, file)).mtimeMs);
    } catch {
      // not there
    }
  }
  return found;
}

/**
 * Why dist/ must be compiled again, or null when it is current: it has no stamp (never built, or a build
 * failed), a source is newer than the stamp, or the set of sources differs from the one the stamp records.
 */
export function staleness(root = ROOT) {
  let stamp;
  try {
    stamp = {
      builtAt: statSync(path.join(root, STAMP)).mtimeMs,
      files: JSON.parse(readFileSync(path.join(root, STAMP), 'utf8')).files,
    };
  } catch {
    return 'dist/ has not been built';
  }
  const now = sources(root);
  for (const [file, mtime] of now) {
    if (mtime > stamp.builtAt) return `${file} changed since the last build`;
  }
  const before = new Set(stamp.files);
  for (const file of now.keys()) if (!before.has(file)) return `${file} is new since the last build`;
  for (const file of before) if (!now.has(file)) return `${file} was removed since the last build`;
  return null;
}

/** Compiles; records the sources and the instant the build started (a change made during it counts as newer). */
export function build(root = ROOT) {
  const started = new Date();
  const files = [...sources(root).keys()].sort();
  const bin = (name) => path.join(root, 'node_modules', '.bin', name);
  for (const [tool, args] of [
    [bin('tsc'), ['-p', 'tsconfig.build.json']],
    [bin('tsc-alias'), ['-p', 'tsconfig.build.json']],
  ]) {
    const run = spawnSync(tool, args, { cwd: root, stdio: 'inherit' });
    if (run.status !== 0) {
      throw new Error(`${path.basename(tool)} failed (${run.error?.message ?? `exit code ${run.status}`})`);
    }
  }
  const stamp = path.join(root, STAMP);
  mkdirSync(path.dirname(stamp), { recursive: true });
  writeFileSync(stamp, JSON.stringify({ builtAt: started.toISOString(), files }) + '\n');
  utimesSync(stamp, started, started);
}

/** Compiles when dist/ is stale, saying why on stderr; returns whether it compiled. */
export function buildIfStale(root = ROOT) {
  const why = staleness(root);
  if (!why) return false;
  process.stderr.write(`Compiling to dist/ (${why})…\n`);
  build(root);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  try {
    if (process.argv.includes('--if-stale')) buildIfStale();
    else build();
  } catch (err) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
}
