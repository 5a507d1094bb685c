import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import {
  EventStore,
  type HandleResult,
  type Position,
  StreamNotFoundError,
  comparePositions,
  loadStream,
} from '@iap/event-store';
import { ProjectionRunner } from '@iap/projections';
import { DataSource } from 'typeorm';
import { byText } from '@iap/common';
import { AreaRegistryCommand, allAreas, areaStream } from '../areas/public-api.js';
import {
  ChooseComparatorsCommand,
  ImportPublicValuesCommand,
  type ImportResult,
  publicDataStream,
} from '../comparators/public-api.js';
import { ActionLifecycleCommand } from '../delivery/public-api.js';
import { AreaFundingCommand } from '../funding/public-api.js';
import { LearningItemCommand } from '../learning/public-api.js';
import {
  AreaOutcomesCommand,
  IndicatorCatalogueCommand,
  PeriodicReturnCommand,
} from '../outcomes/public-api.js';
import { Clock } from '../shared/clock.js';
import type { CommandEnvelope } from '../shared/commands.js';
import { todayInEngland } from '../shared/periods.js';
import { CENTRAL, DEMO_COUNCILS, DEMO_INDICATORS, DEMO_PILOTS } from './demo-data.js';
import { DEMO_LEARNING } from './demo-learning.js';
import {
  type DemoCommandStep,
  type DemoStep,
  commandType,
  demoCommandId,
  demoPlan,
  streamOf,
} from './demo-plan.js';

/** What the seeder did. */
export interface SeedReport {
  /** Commands sent. */
  readonly commands: number;
  /** Commands that wrote events. */
  readonly applied: number;
  /** Commands already applied by an earlier run (same commandId): nothing written. */
  readonly repeated: number;
  /** Commands the aggregate accepted with nothing to record. */
  readonly unchanged: number;
  readonly eventsWritten: number;
  readonly durationMs: number;
  readonly pilots: number;
  readonly councils: number;
  readonly indicators: number;
  readonly actions: number;
  readonly returns: number;
  readonly learningItems: number;
  /** Pilots whose comparators the demo chose. */
  readonly comparatorChoices: number;
}

/** What the database holds, as far as the demo is concerned. */
export type DemoDatabaseState =
  | { readonly state: 'EMPTY' }
  /** Only the demo's own areas, but its last command has not been applied: an interrupted load to resume. */
  | { readonly state: 'DEMO_INCOMPLETE'; readonly areas: number }
  | { readonly state: 'DEMO_COMPLETE'; readonly areas: number }
  /** Areas registered by someone other than the demo loader: real data, never mixed with the demo. */
  | { readonly state: 'OTHER_AREAS'; readonly areas: readonly string[] };

export interface SeedOptions {
  /** Called after each step. */
  readonly onProgress?: (done: number, total: number) => void;
  /** How long to wait for the read models at each sync point (default 60 s). */
  readonly syncTimeoutMs?: number;
}

/**
 * Loads the demo programme through the real command bus, so that every event is what a user's command would
 * have written: the same handlers, rules and facts. Each step has a deterministic commandId, so running the
 * seeder again (for instance after a crash part-way) applies only what is missing and writes nothing twice.
 *
 * The projections must run in this process: a periodic return's snapshot is read from the read models, so the
 * seeder waits for them to catch up before each return. The server runs them; the CLI starts them for
 * `seed:demo`.
 */
@Injectable()
export class DemoSeeder {
  constructor(
    @Inject(CommandBus) private readonly commands: CommandBus,
    @Inject(EventStore) private readonly store: EventStore,
    @Inject(ProjectionRunner) private readonly projections: ProjectionRunner,
    @Inject(DataSource) private readonly db: DataSource,
    @Inject(Clock) private readonly clock: Clock,
  ) {}

  /** The demo's commands, in order, as loaded today (pure; exposed for inspection and tests). */
  plan(): DemoStep[] {
    return demoPlan(todayInEngland(this.clock.now()));
  }

  /**
   * Whether the database is empty, holds the demo (complete or interrupted), or holds other areas. Waits for
   * the areas read model to reach the end of the log first.
   */
  async inspect(timeoutMs = 60_000): Promise<DemoDatabaseState> {
    const [head] = await this.store.readAll({ direction: 'backwards', maxCount: 1 });
    if (head) {
      const areaProjections = this.projections.projections.filter((p) => p.tables.includes('areas'));
      await this.waitForReadModels(
        head.position,
        areaProjections.map((p) => p.name),
        timeoutMs,
      );
    }
    const rows = (await allAreas(this.db)).sort((a, b) => byText(a.code, b.code));
    if (rows.length === 0) return { state: 'EMPTY' };
    const demoCodes = new Set([...DEMO_PILOTS, ...DEMO_COUNCILS].map((a) => a.code));
    const others: string[] = [];
    for (const { code } of rows) {
      if (!demoCodes.has(code) || (await this.registeredBy(code)) !== CENTRAL.subject) others.push(code);
    }
    if (others.length > 0) return { state: 'OTHER_AREAS', areas: others };
    return (await this.isComplete())
      ? { state: 'DEMO_COMPLETE', areas: rows.length }
      : { state: 'DEMO_INCOMPLETE', areas: rows.length };
  }

  /** True when the demo's last command has been applied. */
  async isComplete(): Promise<boolean> {
    const last = [...this.plan()].reverse().find((s): s is DemoCommandStep => s.kind === 'command')!;
    return this.applied(last);
  }

  /** Loads (or completes) the demo programme. Safe to repeat: what is already there is not written again. */
  async seed(options: SeedOptions = {}): Promise<SeedReport> {
    const started = Date.now();
    const steps = this.plan();
    const syncTimeoutMs = options.syncTimeoutMs ?? 60_000;
    let applied = 0;
    let repeated = 0;
    let unchanged = 0;
    let eventsWritten = 0;
    let commands = 0;
    let last: Position | null = null;
    for (const [i, step] of steps.entries()) {
      if (step.kind === 'sync') {
        if (last) await this.waitForReadModels(last, undefined, syncTimeoutMs);
      } else {
        commands++;
        const result = await this.run(step);
        if (result === 'repeated') repeated++;
        else {
          if (result.repeated) repeated++;
          else if (result.events.length > 0) {
            applied++;
            eventsWritten += result.events.length;
          } else unchanged++;
          if (result.position && (!last || comparePositions(result.position, last) > 0))
            last = result.position;
        }
      }
      options.onProgress?.(i + 1, steps.length);
    }
    const count = (context: string, type: string) =>
      steps.filter(
        (s) => s.kind === 'command' && s.command.context === context && commandType(s.command) === type,
      ).length;
    return {
      commands,
      applied,
      repeated,
      unchanged,
      eventsWritten,
      durationMs: Date.now() - started,
      pilots: DEMO_PILOTS.length,
      councils: DEMO_COUNCILS.length,
      indicators: DEMO_INDICATORS.length,
      actions: count('action', 'PlanAction'),
      returns: count('return', 'SubmitReturn'),
      learningItems: DEMO_LEARNING.length,
      comparatorChoices: count('comparators', 'ChooseComparators'),
    };
  }

  /** Sends one step through the command bus; 'repeated' when it had been applied already. */
  private async run(step: DemoCommandStep): Promise<HandleResult<unknown> | 'repeated'> {
    const commandId = demoCommandId(step.key);
    const envelope: CommandEnvelope = {
      metadata: { actor: { ...step.actor }, correlationId: step.item, causationId: commandId },
      commandId,
    };
    try {
      const done = await this.commands.execute<object, HandleResult<unknown> | ImportResult>(
        this.message(step, envelope),
      );
      // An import answers with what it read of the file beside the result of its command.
      return 'digest' in done ? done.result : done;
    } catch (err) {
      // A handler that checks a fact (such as the period lock) before it looks for a repeated commandId
      // refuses a step that an earlier run already applied: that step is done, not failed.
      if (await this.applied(step)) return 'repeated';
      const message = err instanceof Error ? err.message : String(err);
      throw new Error(`Demo step ${step.key} was refused: ${message}`, { cause: err });
    }
  }

  private message(step: DemoCommandStep, envelope: CommandEnvelope): object {
    const c = step.command;
    switch (c.context) {
      case 'area':
        return new AreaRegistryCommand(c.command, envelope);
      case 'indicator':
        return new IndicatorCatalogueCommand(c.request, envelope);
      case 'action':
        return new ActionLifecycleCommand(c.request, envelope);
      case 'funding':
        return new AreaFundingCommand(c.request, envelope);
      case 'outcomes':
        return new AreaOutcomesCommand(c.request, envelope);
      case 'return':
        return new PeriodicReturnCommand(c.request, envelope);
      case 'learning':
        return new LearningItemCommand(c.request, envelope);
      case 'public-values':
        return new ImportPublicValuesCommand(path.basename(c.file), readProjectFile(c.file), envelope);
      case 'comparators':
        return new ChooseComparatorsCommand(c.request, envelope);
    }
  }

  /** Whether the step's commandId is already in its stream. */
  private async applied(step: DemoCommandStep): Promise<boolean> {
    const commandId = demoCommandId(step.key);
    const c = step.command;
    const stream =
      c.context === 'public-values'
        ? publicDataStream(createHash('sha256').update(readProjectFile(c.file)).digest('hex'))
        : streamOf(c);
    const events = await loadStream(this.store, stream);
    return events.some((e) => e.metadata.commandId === commandId);
  }

  private async registeredBy(code: string): Promise<string | undefined> {
    try {
      const [first] = await this.store.readStream(areaStream(code), { maxCount: 1 });
      return first?.metadata.actor?.subject;
    } catch (err) {
      if (err instanceof StreamNotFoundError) return undefined;
      throw err;
    }
  }

  private async waitForReadModels(
    position: Position,
    names: readonly string[] | undefined,
    timeoutMs: number,
  ): Promise<void> {
    if (await this.projections.waitFor(position, names, timeoutMs)) return;
    const behind = (names ?? this.projections.projections.map((p) => p.name)).filter((name) => {
      const at = this.projections.position(name);
      return at === null || comparePositions(at, position) < 0;
    });
    throw new Error(
      `The read models did not catch up within ${Math.round(timeoutMs / 1000)} s (behind: ${behind.join(', ')}): ` +
        'the demo loader needs the projections running in this process (the server runs them; the CLI starts ' +
        'them for seed:demo), because a return snapshot is read from them',
    );
  }
}

/**
 * A file of the project's (the demo's sample of public values), by its path from the project's root: the nearest
 * folder above this module, in the sources or in dist/, that holds it.
 */
function readProjectFile(relative: string): Buffer {
  for (let dir = path.dirname(fileURLToPath(import.meta.url)); ; dir = path.dirname(dir)) {
    const file = path.join(dir, relative);
    if (existsSync(file)) return readFileSync(file);
    if (path.dirname(dir) === dir)
      throw new Error(`The demo's ${relative} was not found above ${fileURLToPath(import.meta.url)}`);
  }
}

/** One line for logs: what the seed wrote and how long it took. */
export function describeSeedReport(r: SeedReport): string {
  const seconds = (r.durationMs / 1000).toFixed(1);
  const what =
    `${r.pilots} pilot areas, ${r.councils} other councils, ${r.indicators} indicators, ${r.actions} actions, ` +
    `${r.returns} return submissions, ${r.learningItems} learning items, comparators for ${r.comparatorChoices} pilots`;
  if (r.applied === 0) return `Demo programme already complete (${what}): nothing written in ${seconds} s`;
  return (
    `Demo programme loaded (${what}): ${r.eventsWritten} events from ${r.applied} commands` +
    (r.repeated > 0 ? ` (${r.repeated} already applied)` : '') +
    ` in ${seconds} s. Every invented figure is marked illustrative.`
  );
}
