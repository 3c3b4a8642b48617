import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  ProviderAuthError,
  ProviderConnectionError,
  ProviderError,
  ProviderHttpError,
  ProviderModelNotFoundError,
  ProviderResponseError,
  ProviderTimeoutError,
  ReplayMissError,
} from './provider-errors.js';
import { scrubJson } from './secrets.js';
import type { ModelRequest, RequestContext } from './types.js';

/**
 * `--record <dir>` writes one JSON file per model call: the normalized request,
 * the body sent, and the raw response with credentials removed. `--replay <dir>`
 * serves those responses with no network, found by a hash of the request.
 */
export const RECORDING_FORMAT = 1 as const;

export interface Recording {
  format: typeof RECORDING_FORMAT;
  /** `requestHash` of the normalized request. */
  hash: string;
  provider: string;
  api: string;
  context: RequestContext;
  request: Omit<ModelRequest, 'context'>;
  /** The body as sent to the API. */
  wireRequest: unknown;
  /** The raw response; absent when the call failed for good. */
  response?: { status: number; headers: Record<string, string>; body: unknown };
  /** The final error of a call that failed for good, so a replay fails the same way. */
  error?: RecordedError;
  /** Retries spent before this response or error. */
  retries: number;
}

export interface RecordedError {
  /** `ProviderHttpError`, `ProviderTimeoutError`, ... */
  name: string;
  message: string;
  statusCode?: number;
  /** Set when the error halted the provider (see `SessionError.halts`). */
  halts?: 'auth' | 'model';
}

/** The error a recording holds, rebuilt with its class, status, message, halt and retries. */
export function rebuildError(recording: Recording): ProviderError {
  const e = recording.error;
  if (!e) return new ProviderError(`recording ${recording.hash.slice(0, 16)} has neither a response nor an error`);
  const rebuilt = rebuildByName(e);
  rebuilt.retries = recording.retries;
  return rebuilt;
}

function rebuildByName(e: RecordedError): ProviderError {
  const { name, message, statusCode } = e;
  if (name === 'ProviderAuthError' && statusCode !== undefined) return new ProviderAuthError(statusCode, message);
  if (name === 'ProviderModelNotFoundError' && statusCode !== undefined) return new ProviderModelNotFoundError(statusCode, message);
  if (name === 'ProviderResponseError') return new ProviderResponseError(message, { statusCode });
  if (statusCode !== undefined) return new ProviderHttpError(statusCode, message, { isRetryable: false, ...(e.halts ? { halts: e.halts } : {}) });
  if (name === 'ProviderTimeoutError') return new ProviderTimeoutError(message);
  if (name === 'ProviderConnectionError') return new ProviderConnectionError(message);
  return new ProviderError(message, e.halts ? { halts: e.halts } : {});
}

/** JSON with object keys sorted, so equal values always serialise the same. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  });
}

/**
 * Stable key of a request: provider id, system prompt, history, tools, options
 * and the repeat number (so repeats of a sampled model replay their own answers).
 * The turn number, seed and settings such as temperature are not part of it.
 */
export function requestHash(providerId: string, request: ModelRequest): string {
  const { system, messages, tools, options, context } = request;
  const key = canonicalJson({ provider: providerId, system, messages, tools, options, repeat: context.repeat });
  return createHash('sha256').update(key).digest('hex');
}

const safe = (s: string): string => s.replace(/[^a-zA-Z0-9._-]/g, '_');

export function recordingPath(dir: string, context: RequestContext, hash: string): string {
  return join(dir, safe(context.scenarioId), safe(context.variantId), `r${context.repeat}-t${context.turn}-${hash.slice(0, 16)}.json`);
}

export class Recorder {
  constructor(
    readonly dir: string,
    private readonly secrets: readonly string[],
  ) {}

  write(recording: Recording): string {
    const file = recordingPath(this.dir, recording.context, recording.hash);
    mkdirSync(join(file, '..'), { recursive: true });
    writeFileSync(file, `${JSON.stringify(scrubJson(recording, this.secrets), null, 2)}\n`);
    return file;
  }
}

export class ReplayStore {
  #index: Map<string, Recording> | undefined;

  constructor(readonly dir: string) {}

  /** The recording for `request`, or a `ReplayMissError` naming scenario, variant, repeat and turn. */
  lookup(providerId: string, request: ModelRequest): Recording {
    const hash = requestHash(providerId, request);
    const hit = this.index().get(hash);
    if (hit) return hit;
    throw new ReplayMissError(this.missMessage(providerId, request, hash));
  }

  private index(): Map<string, Recording> {
    if (this.#index) return this.#index;
    if (!existsSync(this.dir)) throw new ReplayMissError(`replay directory ${this.dir} does not exist; make one with --record ${this.dir}`);
    const index = new Map<string, Recording>();
    for (const file of listJson(this.dir)) {
      const rec = JSON.parse(readFileSync(file, 'utf8')) as Recording;
      if (rec.format === RECORDING_FORMAT && typeof rec.hash === 'string') index.set(rec.hash, rec);
    }
    this.#index = index;
    return index;
  }

  private missMessage(providerId: string, request: ModelRequest, hash: string): string {
    const { scenarioId, variantId, repeat, turn } = request.context;
    const where = `scenario "${scenarioId}", variant "${variantId}", repeat ${repeat}, turn ${turn}`;
    const same = [...this.index().values()].filter(
      (r) => r.context.scenarioId === scenarioId && r.context.variantId === variantId && r.context.repeat === repeat,
    );
    let hint: string;
    if (same.length === 0) hint = 'nothing is recorded for this session';
    else if (!same.some((r) => r.provider === providerId)) hint = `this session was recorded with provider ${[...new Set(same.map((r) => r.provider))].join(', ')}`;
    else {
      const turns = same.filter((r) => r.provider === providerId).map((r) => r.context.turn).sort((a, b) => a - b);
      hint = `turns ${turns.join(', ')} of this session are recorded, but with a different request (changed prompt, tools or history)`;
    }
    return `no recording in ${this.dir} for ${providerId}, ${where} (request hash ${hash.slice(0, 16)}): ${hint}; record it again with --record`;
  }
}

function listJson(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && e.name.endsWith('.json'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}
