import { performance } from 'node:perf_hooks';
import { REBUILD_PAGE_SIZE, rebuildProjections } from '@iap/projections';
import { r1 } from '../../support/figures.js';
import { memorySampler } from '../../support/memory.js';
import { fmtInt, log } from '../../support/output.js';
import { coreContext, logHead, type PhaseFigures, phaseFigures } from '../read-models.js';

/** Every read model rebuilt from one read of the log with `rebuildProjections`. */
export async function rebuildPhase(url: string): Promise<PhaseFigures> {
  const { app, projections, store, dataSource } = await coreContext(url);
  try {
    const head = await logHead(dataSource);
    await dataSource.query('CHECKPOINT').catch(() => undefined);
    const mem = memorySampler();
    const t0 = performance.now();
    let read = 0;
    const progress = setInterval(() => {
      log(
        `rebuild: ${r1((performance.now() - t0) / 1000)} s: ${fmtInt(read)} of ${fmtInt(head.events)} events read`,
      );
    }, 10_000);
    let results: Awaited<ReturnType<typeof rebuildProjections>>;
    try {
      results = await rebuildProjections(store, dataSource, projections, {
        onProgress: (_applied, r) => (read = r),
      });
    } finally {
      clearInterval(progress);
    }
    if (results[0]?.eventsRead !== head.events)
      throw new Error(`the rebuild read ${results[0]?.eventsRead} of ${head.events} events`);
    const seconds = (performance.now() - t0) / 1000;
    const memory = mem.stop();
    return await phaseFigures(dataSource, projections, head.events, seconds, memory, {
      projections: projections.length,
      eventsAppliedByProjection: Object.fromEntries(
        projections.map((p, i) => [p.name, results[i].eventsApplied]),
      ),
      busySecondsByProjection: Object.fromEntries(
        projections.map((p, i) => [p.name, r1(results[i].busyMs / 1000)]),
      ),
      pageSize: REBUILD_PAGE_SIZE,
      stageSeconds: Object.fromEntries(
        Object.entries(results[0]?.stagesMs ?? {}).map(([stage, ms]) => [stage, r1(ms / 1000)]),
      ),
    });
  } finally {
    await app.close();
  }
}
