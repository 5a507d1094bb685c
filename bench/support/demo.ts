/** The demo programme, loaded into a bench's database as the product does (`cli seed:demo`, as built). */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Runs `cli seed:demo` on the database of `env` (its DATABASE_URL); resolves once it has exited 0. */
export function seedDemo(env: NodeJS.ProcessEnv): Promise<void> {
  const args = [path.join(ROOT, 'dist/apps/cli/src/main.js'), 'seed:demo'];
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { env, stdio: ['ignore', 'ignore', 'inherit'] });
    child.on('exit', (code) =>
      code === 0 ? resolve() : reject(new Error(`${args.join(' ')} exited ${code}`)),
    );
  });
}
