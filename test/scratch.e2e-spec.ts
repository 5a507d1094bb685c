import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AsOfViews, ProjectionRunner } from '@iap/projections';
import { DataSource } from 'typeorm';
import { DemoSeeder } from '../src/demo/demo.seeder.js';
import { type TestApp, startTestApp } from './support/test-app.js';

describe('scratch', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    await t.app.get(DemoSeeder).seed();
  }, 240_000);
  afterAll(async () => {
    await t?.close();
  });
  it('times', async () => {
    const db = t.app.get(DataSource);
    const views = new AsOfViews(db, t.app.get(ProjectionRunner).projections);
    const snap = await views.open(new Date(Date.now() - 1000));
    const qs = [
      `SELECT * FROM areas WHERE code = 'E06000008'`,
      `SELECT * FROM area_partners WHERE area_code = ANY('{E06000008}')`,
      `SELECT * FROM funding_years WHERE area_code = ANY('{E06000008}')`,
      `SELECT * FROM actions WHERE area_code = ANY('{E06000008}') ORDER BY planned_start, id LIMIT 20`,
      `SELECT * FROM area_action_counts WHERE area_code = ANY('{E06000008}')`,
      `SELECT * FROM area_indicators WHERE area_code = ANY('{E06000008}')`,
      `SELECT * FROM periodic_returns WHERE area_code = ANY('{E06000008}')`,
      `SELECT * FROM funding_allocations WHERE area_code = ANY('{E06000008}')`,
      `SELECT * FROM indicator_catalogue`,
    ];
    for (const q of qs) {
      const plan: { 'QUERY PLAN': unknown }[] = await snap.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${q}`);
      const p = (plan[0]['QUERY PLAN'] as { 'Planning Time': number; 'Execution Time': number }[])[0];
      for (let i = 0; i < 3; i++) { const t0 = performance.now(); await snap.query(q); console.log('  run', (performance.now() - t0).toFixed(2)); }
      console.log(q.slice(0, 60), 'plan', p['Planning Time'], 'exec', p['Execution Time']);
    }
    await snap.release();
    await views.close();
    expect(1).toBe(1);
  }, 60_000);
});
