/**
 * The run file format: `run.json` (one manifest) and `sessions.jsonl` (one
 * `SessionRecord` per line). Every report, CSV and comparison is rendered from
 * these records alone, so they carry everything the metrics need.
 */
import type { TrajectoryMode } from '../trajectory.js';

/** Why a model turn ended, in one vocabulary across the APIs. */
export type FinishReason = 'stop' | 'tool-calls' | 'length' | 'content-filter' | 'error' | 'other';

/** What produced a session's turns: a reference policy, a real model, or a scripted test provider. */
export type ProviderKind = 'reference' | 'model' | 'scripted';

export const RUN_FORMAT_VERSION = 1 as const;

export interface CallRecord {
  id: string;
  name: string;
  args: Record<string, unknown> | undefined;
  rawArgs: string;
  /** Expected-call id (DAG node) this call matched, or null. */
  node: string | null;
  /** Whether every dependency of `node` had its result before this turn. */
  depsSatisfied: boolean;
  result: string;
  isError: boolean;
  errorKind?: string;
  /** Simulated latency of the call (virtual clock). */
  latencyMs: number;
}

/**
 * A tool call the harness made without a model turn asking for it: a step of a
 * scenario's declared chain, a hybrid processing step, or a call of a plan the
 * model wrote. Counted in `toolCalls`, never in turns or batching (docs/strategies.md).
 */
export interface ChainCallRecord extends CallRecord {
  source: 'chain' | 'hybrid' | 'plan';
  /** Step id (chain, hybrid) or the call's 1-based position in the plan. */
  step: string;
  /** 1-based wave: calls of one wave ran concurrently, waves one after another. */
  wave: number;
  /** Index of the model turn that followed this call (turns so far + 1). */
  beforeTurn: number;
  /** Virtual clock when the call started. */
  startMs: number;
}

export interface TurnUsage {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
  reasoningTokens?: number;
  /** True when counts come from the tokenizer, not from the provider. */
  estimated: boolean;
}

export interface TurnRecord {
  /** 1-based model call index. */
  index: number;
  /** Messages in the request (history length). */
  requestMessages: number;
  /** Characters of the serialised request. */
  requestChars: number;
  text: string;
  finishReason: FinishReason;
  calls: CallRecord[];
  usage: TurnUsage;
  /** Virtual clock: start of the model call, model latency, slowest tool of the batch, end. */
  virtual: { startMs: number; modelMs: number; toolsMs: number; endMs: number };
  /** Real wall time of the model call in ms. */
  realLatencyMs: number;
  retries: number;
  /** Which part of a strategy made this turn (e.g. `gather`, `synthesis`); absent for the plain loop. */
  phase?: string;
}

/**
 * `errored`: the session ran and hit an error (provider, tool handler, strategy).
 * `skipped`: the session was never started because its provider had already
 * failed in a way no other session could get past (a rejected key, an unknown model).
 * Neither enters a mean, median, interval, pair or gate figure: see `isMeasured`.
 */
export type SessionStatus = 'completed' | 'failed' | 'budget-exceeded' | 'errored' | 'skipped';

export interface SessionError {
  class: string;
  message: string;
  statusCode?: number;
  /**
   * Set when the error means no later session of this provider can succeed:
   * `auth` (the key was refused: 401/403), `model` (the model does not exist).
   * The runner stops scheduling that provider and records the rest as `skipped`.
   */
  halts?: 'auth' | 'model';
}

export interface SessionBase {
  formatVersion: typeof RUN_FORMAT_VERSION;
  runId: string;
  /** `provider|variant|scenario|repeat`: unique within a run. */
  key: string;
  provider: { id: string; kind: ProviderKind };
  variantId: string;
  strategy: string;
  scenarioId: string;
  repeat: number;
  seed: number;
  optimalTurns: number;
  turns: TurnRecord[];
  finalAnswer: string | null;
  success: {
    passed: boolean;
    missingCalls: string[];
    missingFacts: string[];
    /** The scenario's `success.trajectory` check and whether the calls met it (absent when the scenario has none). */
    trajectory?: { mode: TrajectoryMode; passed: boolean };
  };
  startedAt: string;
  finishedAt: string;
  /** Virtual wall time of the whole session in ms. */
  virtualMs: number;
  /** Real wall time of the whole session in ms. */
  realMs: number;
  /** Free-form per-strategy data (e.g. a parsed plan). */
  extra?: Record<string, unknown>;
  /** Tool calls the harness made between model turns (chain, hybrid, plan-execute); absent for the plain loop. */
  chainCalls?: ChainCallRecord[];
}

export type SessionRecord =
  | (SessionBase & { status: 'completed' })
  | (SessionBase & { status: 'failed' })
  | (SessionBase & { status: 'budget-exceeded'; stopReason: string })
  | (SessionBase & { status: 'errored'; error: SessionError })
  | (SessionBase & { status: 'skipped'; reason: string });

/** A session whose figures are measurements: it ran to an answer, a wrong answer or a budget stop. */
export type MeasuredSession = Extract<SessionRecord, { status: 'completed' | 'failed' | 'budget-exceeded' }>;

/** Whether a session enters the metrics; errored and skipped sessions are counted, never averaged. */
export function isMeasured(s: SessionRecord): s is MeasuredSession {
  return s.status === 'completed' || s.status === 'failed' || s.status === 'budget-exceeded';
}

export interface ScenarioManifest {
  id: string;
  title: string;
  domain: string;
  shape: string;
  difficulty: string;
  tags: string[];
  file: string;
  hash: string;
  optimalTurns: number;
  widths: number[];
  /** The dependency structure, so analyses need no scenario files. */
  dag: { id: string; tool: string; args: Record<string, unknown>; needs: string[] }[];
  /** Ids of the expected calls `success.required_calls` requires (absent in runs written before the field existed: every expected call). */
  requiredCalls?: string[];
}

export interface VariantManifest {
  id: string;
  description: string;
  strategy: string;
  parallelToolCalls: boolean;
  /** Plans are scored for this variant (absent in runs written before the field existed). */
  expectsPlan?: boolean;
  file: string;
  hash: string;
}

export interface RunManifest {
  formatVersion: typeof RUN_FORMAT_VERSION;
  runId: string;
  tool: { name: 'batchbench'; version: string };
  config: {
    providers: { id: string; kind: ProviderKind }[];
    variants: string[];
    scenarios: string[];
    repeats: number;
    concurrency: number;
    seed: number;
    modelLatencyMs: number;
    /** Virtual latency per model call by provider id, where `--model-latency <provider>=<ms>` set one. */
    modelLatencyByProvider?: Record<string, number>;
    maxTurns: number;
  };
  scenarios: ScenarioManifest[];
  variants: VariantManifest[];
  startedAt: string;
  endedAt: string | null;
  state: 'running' | 'finished' | 'interrupted';
  sessionsPlanned: number;
  sessionsWritten: number;
  /** This run holds only the `index`-th (1-based) of `count` deterministic parts of the matrix (`run --shard i/n`). */
  shard?: { index: number; count: number };
  /** Keys of sessions cut short by an interruption: not in `sessions.jsonl`, run again by `run --resume`. */
  interrupted?: string[];
  /** Times this run was continued with `run --resume`. */
  resumedAt?: string[];
  /** The shard runs `batchbench merge` joined into this one. */
  mergedFrom?: { runId: string; shard: { index: number; count: number } }[];
  /** Set when the sessions were imported from recorded traces (`batchbench import traces`), not run. */
  imported?: ImportedFrom;
}

/** Where an imported run came from: the trace files (with their SHA-256) and how dependencies were found. */
export interface ImportedFrom {
  from: 'traces';
  format: string;
  files: { file: string; sha256: string; lines: number }[];
  /** Lines left out with `--skip-invalid`. */
  skippedLines: number;
  /** How the task graph of each session was obtained, and its known limit. */
  inference: string;
}
