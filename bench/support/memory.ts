/** A process's memory while it works: peak RSS, and RSS sampled every second. */
import { mib } from './figures.js';

export interface Memory {
  /** Peak resident set size of the process (getrusage maxrss), MiB. */
  peakRssMiB: number;
  /** RSS sampled every second, MiB (at most 120 samples kept, evenly thinned). */
  rssSamplesMiB: number[];
  heapUsedPeakMiB: number;
}

export function memorySampler(): { stop(): Memory; mark(): void } {
  const samples: number[] = [];
  let heapPeak = 0;
  const sample = () => {
    const m = process.memoryUsage();
    samples.push(mib(m.rss));
    heapPeak = Math.max(heapPeak, m.heapUsed);
  };
  sample();
  const timer = setInterval(sample, 1000);
  timer.unref();
  return {
    mark: sample,
    stop() {
      clearInterval(timer);
      sample();
      let kept = samples;
      while (kept.length > 120) kept = kept.filter((_, i) => i % 2 === 0);
      return {
        peakRssMiB: Math.round(process.resourceUsage().maxRSS / 1024),
        rssSamplesMiB: kept,
        heapUsedPeakMiB: mib(heapPeak),
      };
    },
  };
}
