import { performance } from 'node:perf_hooks';
import { ProjectionRunner } from '@iap/projections';
import { r1, r2 } from '../../support/figures.js';
import { memorySampler } from '../../support/memory.js';
import { log } from '../../support/output.js';
import { coreContext, logHead, phaseFigures, type PhaseFigures, resetReadModels } from '../read-models.js';

/** The product's ProjectionRunner (as ProjectionsModule builds it) started on the full log, empty read models. */
export async function catchupPhase(url: string): Promise<PhaseFigures> {
  const { app, projections, store, dataSource } = await coreContext(url);
  try {
    await resetReadModels(dataSource, projections);
    const head = await logHead(dataSource);
    const failures: string[] = [];
    const runner = new ProjectionRunner(store, dataSource, projections, {
      log: (message, error) => {
        failures.push(`${message}: ${error instanceof Error ? error.message : String(error)}`);
        log(
          `catch-up: ${message}: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        );
      },
    });
    const mem = memorySampler();
    const t0 = performance.now();
    const done = new Map<string, number>();
    const progress = setInterval(() => {
      const at = projections.map((p) => {
        const pos = runner.position(p.name);
        return `${p.name} ${pos ? Math.round((Number(pos.prepare) / Number(head.position.prepare)) * 100) : 0}%`;
      });
      log(`catch-up: ${r1((performance.now() - t0) / 1000)} s: ${at.join(', ')}`);
    }, 10_000);
    runner.start();
    try {
      await Promise.all(
        projections.map(async (p) => {
          const ok = await runner.waitFor(head.position, [p.name], 24 * 3600_000);
          if (!ok) throw new Error(`${p.name} did not reach the head`);
          done.set(p.name, r2((performance.now() - t0) / 1000));
          if (failures.length > 0) throw new Error(`projection failures: ${failures.join('; ')}`);
        }),
      );
    } finally {
      clearInterval(progress);
      await runner.stop();
    }
    const seconds = (performance.now() - t0) / 1000;
    const memory = mem.stop();
    if (failures.length > 0) throw new Error(`projection failures: ${failures.join('; ')}`);
    return await phaseFigures(dataSource, projections, head.events, seconds, memory, {
      secondsToHeadByProjection: Object.fromEntries(done),
      projections: projections.map((p) => p.name),
    });
  } finally {
    await app.close();
  }
}
