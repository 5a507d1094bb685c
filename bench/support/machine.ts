/** The machine and the PostgreSQL server a run measured, as its JSON line reports them. */
import os from 'node:os';
import { r2 } from './figures.js';

export interface ServerFacts {
  postgres: string;
  embedded: boolean;
  fsync: string;
  synchronousCommit: string;
  /** Reported when given (after synchronousCommit). */
  sharedBuffers?: string;
}

/** `withMemory`: the machine's memory too (after the CPU model). */
export function machineSummary(server: ServerFacts, loadAtStart: number, withMemory = false) {
  const cpus = os.cpus();
  const { sharedBuffers, ...facts } = server;
  return {
    node: process.version,
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    ...(withMemory ? { memoryGiB: Math.round(os.totalmem() / 1073741824) } : {}),
    platform: `${process.platform}-${process.arch}`,
    ...facts,
    ...(sharedBuffers === undefined ? {} : { sharedBuffers }),
    loadAvg1mAtStart: r2(loadAtStart),
    loadAvg1mAtEnd: r2(os.loadavg()[0]),
  };
}
