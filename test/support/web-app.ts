import { loadDemoIfEmpty } from '../../src/demo/public-api.js';
import { type TestApp, type TestAppOptions, startTestApp } from './test-app.js';

/**
 * The real server on a fresh database with the demo programme loaded (the five pilots, their actions, spend,
 * measurements, returns and learning), as the zero-setup start shows it: for the web journeys.
 */
export async function startDemoApp(options: TestAppOptions = {}): Promise<TestApp> {
  const t = await startTestApp({ tokenless: 'anonymous', ...options });
  await loadDemoIfEmpty(t.app, { log: () => undefined });
  return t;
}
