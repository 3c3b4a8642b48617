import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Variant } from '../prompts/load-variants.js';
import type { ProviderHandle } from '../providers/registry.js';
import { RUN_FORMAT_VERSION, type RunManifest, type SessionRecord } from '../records.js';
import { InputError, UsageError } from '../errors.js';
import type { ToolExecutor } from '../scenarios/mock-tools.js';
import { loadHandlerModules, toolsForSession } from '../scenarios/tool-handlers.js';
import type { Scenario } from '../scenarios/types.js';
import { VERSION } from '../version.js';
import { deriveSeed } from './rng.js';
import { newRunId } from './run-id.js';
import { MANIFEST_FILE, SessionWriter, writeManifest } from './run-files.js';
import { assertResumable, continueManifest, openResume } from './resume.js';
import { runSession, sessionKey } from './run-session.js';
import { selectShard, type Shard } from './shard.js';
import { maxTurns } from './stop-rules.js';

export interface RunOptions {
  scenarios: readonly Scenario[];
  variants: readonly Variant[];
  providers: readonly ProviderHandle[];
  repeats: number;
  /** Sessions running at once, per provider. */
  concurrency: number;
  seed: number;
  /** Parent directory; the run goes to `<outDir>/<runId>`. */
  outDir: string;
  runId?: string;
  /** Virtual latency charged per model call, in ms. */
  modelLatencyMs: number;
  maxTurns: number;
  /** Stops starting new sessions when aborted; running ones are told through their signal. */
  signal?: AbortSignal;
  /** Called after each session is on disk. */
  onSession?: (record: SessionRecord, written: number, planned: number) => void;
  /** Tool executor per session; defaults to the scenario's handlers and mocks. */
  toolsFor?: (scenario: Scenario) => ToolExecutor;
  /** Run only this deterministic part of the matrix (`run --shard i/n`, see shard.ts). */
  shard?: Shard;
  /**
   * Continue the run in `<outDir>/<runId>` (`run --resume`): sessions already in its
   * `sessions.jsonl` are kept and skipped, the others are run and appended.
   */
  resume?: boolean;
}

export interface RunResult {
  dir: string;
  manifest: RunManifest;
}

export interface PlannedSession {
  provider: ProviderHandle;
  variant: Variant;
  scenario: Scenario;
  repeat: number;
  key: string;
  seed: number;
}

/** The run's matrix, provider x variant x scenario x repeat, in a fixed order. */
export function planSessions(options: Pick<RunOptions, 'providers' | 'variants' | 'scenarios' | 'repeats' | 'seed'>): PlannedSession[] {
  const planned: PlannedSession[] = [];
  for (const provider of options.providers) {
    for (const variant of options.variants) {
      for (const scenario of options.scenarios) {
        for (let repeat = 1; repeat <= options.repeats; repeat++) {
          planned.push({
            provider,
            variant,
            scenario,
            repeat,
            key: sessionKey(provider.id, variant.id, scenario.id, repeat),
            seed: deriveSeed(options.seed, provider.id, variant.id, scenario.id, repeat),
          });
        }
      }
    }
  }
  return planned;
}

export function buildManifest(options: RunOptions, runId: string, planned: number): RunManifest {
  return {
    formatVersion: RUN_FORMAT_VERSION,
    runId,
    tool: { name: 'batchbench', version: VERSION },
    config: {
      providers: options.providers.map((p) => ({ id: p.id, kind: p.kind })),
      variants: options.variants.map((v) => v.id),
      scenarios: options.scenarios.map((s) => s.id),
      repeats: options.repeats,
      concurrency: options.concurrency,
      seed: options.seed,
      modelLatencyMs: options.modelLatencyMs,
      maxTurns: options.maxTurns,
    },
    scenarios: options.scenarios.map((s) => ({
      id: s.id,
      title: s.title,
      domain: s.domain,
      shape: s.shape,
      difficulty: s.difficulty,
      tags: s.tags,
      file: s.file,
      hash: s.hash,
      optimalTurns: s.dag.optimalTurns,
      widths: s.dag.widths,
      dag: s.expectedCalls.map((c) => ({ id: c.id, tool: c.tool, args: c.args, needs: c.needs })),
    })),
    variants: options.variants.map((v) => ({
      id: v.id,
      description: v.description,
      strategy: v.strategy,
      parallelToolCalls: v.parallelToolCalls,
      expectsPlan: v.expectsPlan,
      file: v.file,
      hash: v.hash,
    })),
    startedAt: new Date().toISOString(),
    endedAt: null,
    state: 'running',
    sessionsPlanned: planned,
    sessionsWritten: 0,
    ...(options.shard ? { shard: { index: options.shard.index, count: options.shard.count } } : {}),
  };
}

/**
 * Runs every session of the matrix with at most `concurrency` at once, streaming
 * each record to `sessions.jsonl` as it finishes. `run.json` is written at the
 * start and again at the end (or on interruption).
 */
export async function runSuite(options: RunOptions): Promise<RunResult> {
  const handlerIssues = await loadHandlerModules(options.scenarios);
  if (handlerIssues.length > 0) throw new InputError(handlerIssues);
  const runId = options.runId ?? newRunId();
  const dir = join(options.outDir, runId);
  const planned = selectShard(planSessions(options), options.shard);
  const manifest = buildManifest(options, runId, planned.length);
  if (!options.resume && existsSync(join(dir, MANIFEST_FILE))) {
    throw new UsageError(`${dir} already holds a run; continue it with \`batchbench run --resume ${dir}\` or choose another run id`);
  }
  const resumed = options.resume ? openResume(dir) : undefined;
  if (resumed) {
    assertResumable(resumed, manifest);
    continueManifest(manifest, resumed);
  }
  const todo = resumed ? planned.filter((p) => !resumed.done.has(p.key)) : planned;
  const already = planned.length - todo.length;
  // Sessions still running when the abort signal came: left out of sessions.jsonl so a resume runs them again.
  const interrupted: string[] = [];
  writeManifest(dir, manifest);
  const writer = new SessionWriter(dir);
  // One limit per provider, so a slow provider does not hold the slots of the others.
  const limits = new Map(options.providers.map((p) => [p.id, pLimit(Math.max(1, options.concurrency))]));
  const toolsFor = options.toolsFor ?? toolsForSession;
  const runLimit = [maxTurns(options.maxTurns)];
  const stopRulesFor = (s: Scenario) => (s.maxTurns === undefined ? runLimit : [maxTurns(s.maxTurns)]);
  try {
    await Promise.all(
      todo.map((p) =>
        (limits.get(p.provider.id) ?? pLimit(1))(async () => {
          // Reference policies answer at once, so a run of them never waits on I/O: yield to the
          // event loop between sessions so that signals (Ctrl-C), timers and the garbage collector get a turn.
          await yieldToEventLoop();
          if (options.signal?.aborted) return;
          const record = await runSession({
            runId,
            scenario: p.scenario,
            variant: p.variant,
            provider: p.provider.forScenario(p.scenario),
            repeat: p.repeat,
            seed: p.seed,
            tools: toolsFor(p.scenario),
            stopRules: stopRulesFor(p.scenario),
            modelLatencyMs: options.modelLatencyMs,
            ...(options.signal ? { signal: options.signal } : {}),
          });
          // Cut short (a model call cancelled, a tool aborted) or not, a session the abort
          // overtook is no clean result: left out, listed as interrupted, run again by a resume.
          if (options.signal?.aborted) {
            interrupted.push(record.key);
            return;
          }
          writer.write(record);
          options.onSession?.(record, already + writer.written, planned.length);
        }),
      ),
    );
  } finally {
    writer.close();
    manifest.endedAt = new Date().toISOString();
    manifest.sessionsWritten = already + writer.written;
    manifest.state = manifest.sessionsWritten < planned.length ? 'interrupted' : 'finished';
    if (interrupted.length > 0) manifest.interrupted = interrupted;
    writeManifest(dir, manifest);
  }
  return { dir, manifest };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
