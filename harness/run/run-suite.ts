import { existsSync } from 'node:fs';
import { join } from 'node:path';
import pLimit from 'p-limit';
import type { Variant } from '../scenarios/load-variants.js';
import type { ProviderHandle } from '../providers/registry.js';
import { RUN_FORMAT_VERSION, type RunManifest, type SessionError, type SessionRecord } from '../core/run-file/records.js';
import { InputError, UsageError } from '../core/errors.js';
import type { ToolExecutor } from '../scenarios/mock-tools.js';
import { loadHandlerModules, toolsForSession } from '../scenarios/tool-handlers.js';
import type { Scenario } from '../scenarios/types.js';
import { VERSION } from '../core/version.js';
import { latencyFor } from '../core/model-latency.js';
import { deriveSeed } from '../core/rng.js';
import { newRunId } from '../core/run-file/run-id.js';
import { MANIFEST_FILE, SessionWriter, writeManifest } from '../core/run-file/run-files.js';
import { assertResumable, assertRunDir, continueManifest, dropRerun, openResume, type ResumeState } from './resume.js';
import { acquireRunLock, type RunLock } from '../core/run-file/run-lock.js';
import { runSession } from './run-session.js';
import { skippedRecord } from './skipped.js';
import { planOrder, selectShard, sessionKey, type Shard } from '../core/matrix.js';
import { turnLimitOf } from './stop-rules.js';
import { FirstAnswerGate } from './first-answer-gate.js';

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
  /** Virtual latency per model call by provider id, over `modelLatencyMs`. */
  modelLatencyByProvider?: Record<string, number>;
  maxTurns: number;
  /** Stops starting new sessions when aborted; running ones are told through their signal. */
  signal?: AbortSignal;
  /** Called after each session is on disk. */
  onSession?: (record: SessionRecord, written: number, planned: number) => void;
  /** Tool executor per session; defaults to the scenario's handlers and mocks. */
  toolsFor?: (scenario: Scenario) => ToolExecutor;
  /** Run only this deterministic part of the matrix (`run --shard i/n`, see core/matrix.ts). */
  shard?: Shard;
  /**
   * Continue the run in `<outDir>/<runId>` (`run --resume`): sessions already in its
   * `sessions.jsonl` are kept, the others are run and appended. Errored and skipped
   * sessions run again (their lines are dropped first) unless `keepErrored`.
   */
  resume?: boolean;
  /** On resume, keep errored and skipped sessions as they are (default: run them again). */
  keepErrored?: boolean;
  /** Called on resume once the run directory is read and checked, before any session runs. */
  onResume?: (state: ResumeState) => void;
  /** The run directory's write lock when the caller already holds it (it then releases it too). */
  lock?: RunLock;
  /** Notices for the user (a stale lock taken over, a provider halted). */
  log?: (line: string) => void;
  /**
   * Return the records written (`RunResult.sessions`) when this run wrote its
   * sessions file from empty (not on resume), so the caller need not read it back.
   */
  keepSessions?: boolean;
}

export interface RunResult {
  dir: string;
  manifest: RunManifest;
  /** With `keepSessions`, on a run that wrote its sessions file from empty: every session written, in the order written. */
  sessions?: SessionRecord[];
}

export interface PlannedSession {
  provider: ProviderHandle;
  variant: Variant;
  scenario: Scenario;
  repeat: number;
  key: string;
  seed: number;
}

/**
 * A session's seed: from the run seed, provider, scenario and repeat, never
 * the variant. Variants share their random numbers (common random numbers),
 * so a reference policy, which ignores the prompt, makes the same choices
 * under every variant and a comparison shows no noise from the draws.
 */
export function sessionSeed(runSeed: number, providerId: string, scenarioId: string, repeat: number): number {
  return deriveSeed(runSeed, providerId, scenarioId, repeat);
}

/** The run's matrix, provider x variant x scenario x repeat, in plan order (core/matrix.ts). */
export function planSessions(options: Pick<RunOptions, 'providers' | 'variants' | 'scenarios' | 'repeats' | 'seed'>): PlannedSession[] {
  return planOrder(options).map(({ provider, variant, scenario, repeat }) => ({
    provider,
    variant,
    scenario,
    repeat,
    key: sessionKey(provider.id, variant.id, scenario.id, repeat),
    seed: sessionSeed(options.seed, provider.id, scenario.id, repeat),
  }));
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
      ...(options.modelLatencyByProvider && Object.keys(options.modelLatencyByProvider).length > 0 ? { modelLatencyByProvider: options.modelLatencyByProvider } : {}),
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
      dag: s.expectedCalls.map((c) => ({
        id: c.id,
        tool: c.tool,
        args: c.args,
        ...(c.accept ? { accept: c.accept } : {}),
        ...(c.unordered ? { unordered: c.unordered } : {}),
        ...(c.match_mode ? { match_mode: c.match_mode } : {}),
        needs: c.needs,
      })),
      requiredCalls: s.success.requiredCalls,
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
 * start and again at the end (or on interruption). The run directory is
 * written only under its lock (run-lock.ts). A session that errors with
 * `error.halts` (a refused key, an unknown model) stops its provider: its
 * sessions not yet started are written as `skipped`, the other providers go on.
 */
export async function runSuite(options: RunOptions): Promise<RunResult> {
  const handlerIssues = await loadHandlerModules(options.scenarios);
  if (handlerIssues.length > 0) throw new InputError(handlerIssues);
  const runId = options.runId ?? newRunId();
  const dir = join(options.outDir, runId);
  if (options.resume) assertRunDir(dir);
  // One writer per run directory: checked and written only under its lock.
  const lock = options.lock ?? acquireRunLock(dir, { command: 'run', ...(options.log ? { log: options.log } : {}) });
  try {
    return await runLocked(options, runId, dir);
  } finally {
    if (!options.lock) lock.release();
  }
}

async function runLocked(options: RunOptions, runId: string, dir: string): Promise<RunResult> {
  const planned = selectShard(planSessions(options), options.shard);
  const manifest = buildManifest(options, runId, planned.length);
  if (!options.resume && existsSync(join(dir, MANIFEST_FILE))) {
    throw new UsageError(`${dir} already holds a run; continue it with \`batchbench run --resume ${dir}\` or choose another run id`);
  }
  const resumed = options.resume ? openResume(dir, { keepErrored: options.keepErrored ?? false }) : undefined;
  if (resumed) {
    assertResumable(resumed, manifest);
    continueManifest(manifest, resumed);
    // The lines of the sessions that run again go first, so each key stays on one line.
    dropRerun(resumed);
    options.onResume?.(resumed);
  }
  const todo = resumed ? planned.filter((p) => !resumed.done.has(p.key)) : planned;
  const already = planned.length - todo.length;
  // Sessions still running when the abort signal came: left out of sessions.jsonl so a resume runs them again.
  const interrupted: string[] = [];
  // Providers that answered in a way no later session can get past (a refused key, an unknown model): the first such error.
  const halted = new Map<string, SessionError>();
  writeManifest(dir, manifest);
  const writer = new SessionWriter(dir, { keep: options.keepSessions === true && !resumed });
  // One limit per provider, so a slow provider does not hold the slots of the others.
  const limits = new Map(options.providers.map((p) => [p.id, pLimit(Math.max(1, options.concurrency))]));
  // A model provider's sessions wait for its first answer, so a refused key or an unknown model costs one request.
  const gates = new Map(options.providers.filter((p) => p.kind === 'model').map((p) => [p.id, new FirstAnswerGate()]));
  const toolsFor = options.toolsFor ?? toolsForSession;
  const record = (r: SessionRecord): void => {
    writer.write(r);
    options.onSession?.(r, already + writer.written, planned.length);
  };
  // An error of the run itself (a full disk, say) is the one reported, not a later one from closing the file or writing run.json.
  let failed = false;
  try {
    await Promise.all(
      todo.map((p) =>
        (limits.get(p.provider.id) ?? pLimit(1))(async () => {
          // Reference policies answer at once, so a run of them never waits on I/O: yield to the
          // event loop between sessions so that signals (Ctrl-C), timers and the garbage collector get a turn.
          await yieldToEventLoop();
          if (options.signal?.aborted) return;
          const gate = gates.get(p.provider.id);
          const leads = gate ? await gate.enter() : false;
          if (options.signal?.aborted) return;
          const halt = halted.get(p.provider.id);
          if (halt) {
            record(skippedRecord(runId, p, `not run: ${p.provider.id} halted after ${halt.message}`));
            return;
          }
          const provider = p.provider.forScenario(p.scenario, { expectsPlan: p.variant.expectsPlan });
          // However the first session ends (an answer, an outage, Ctrl-C), the gate opens after the halting check:
          // the sessions that waited then either start or are recorded as skipped.
          let result: SessionRecord;
          try {
            result = await runSession({
              runId,
              scenario: p.scenario,
              variant: p.variant,
              provider: gate ? gate.watch(provider) : provider,
              repeat: p.repeat,
              seed: p.seed,
              tools: toolsFor(p.scenario),
              stopRules: [turnLimitOf(p.scenario, options.maxTurns)],
              modelLatencyMs: latencyFor(p.provider.id, options.modelLatencyMs, options.modelLatencyByProvider),
              ...(options.signal ? { signal: options.signal } : {}),
            });
            if (!options.signal?.aborted && result.status === 'errored' && result.error.halts !== undefined && !halted.has(p.provider.id)) {
              halted.set(p.provider.id, result.error);
              options.log?.(`${p.provider.id} halted: ${result.error.message}; its sessions not yet started are recorded as skipped`);
            }
          } finally {
            if (leads) gate?.open();
          }
          // Cut short (a model call cancelled, a tool aborted) or not, a session the abort
          // overtook is no clean result: left out, listed as interrupted, run again by a resume.
          if (options.signal?.aborted) {
            interrupted.push(result.key);
            return;
          }
          record(result);
        }),
      ),
    );
  } catch (e) {
    failed = true;
    throw e;
  } finally {
    const after: unknown[] = [];
    try {
      writer.close();
    } catch (e) {
      after.push(e);
    }
    manifest.endedAt = new Date().toISOString();
    manifest.sessionsWritten = already + writer.written;
    // Skipped sessions have their line (with the reason), so a halted run is finished; `run --resume` runs them.
    manifest.state = manifest.sessionsWritten < planned.length ? 'interrupted' : 'finished';
    if (interrupted.length > 0) manifest.interrupted = interrupted;
    try {
      writeManifest(dir, manifest);
    } catch (e) {
      after.push(e);
    }
    if (!failed && after.length > 0) throw after[0];
  }
  return writer.kept ? { dir, manifest, sessions: writer.kept } : { dir, manifest };
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
