import { UsageError } from '../core/errors.js';
import { ProviderError, ProviderResponseError } from './provider-errors.js';
import { RequestLimiter } from './rate-limit.js';
import { rebuildError, Recorder, ReplayStore, requestHash, type RecordedError, type Recording } from './record-replay.js';
import type { ProviderHandle, ProviderOptions } from './registry.js';
import { DEFAULT_RETRY_POLICY, withRetries, type RetryDeps, type RetryPolicy } from './retry.js';
import type { SenderContext } from './sdk-errors.js';
import { PLACEHOLDER_KEY, readApiKey, scrubJson, secretsOf } from './secrets.js';
import type { ModelRequest, ModelResponse, Provider } from './types.js';

/** What one HTTP exchange returned, as stored in recordings. */
export interface WireExchange {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/** One API's translation between the provider seam and its wire format. Pure. */
export interface WireCodec<Body> {
  /** e.g. `openai-chat`; stored in recordings. */
  readonly api: string;
  encode(request: ModelRequest): Body;
  decode(body: unknown): ModelResponse;
}

/** Sends one request through an SDK client (built with `maxRetries: 0`) and maps its errors to `ProviderError`s. */
export type WireSend<Body> = (body: Body, init: { signal?: AbortSignal | undefined; timeoutMs: number }) => Promise<WireExchange>;

/**
 * A sender whose SDK is loaded when the first request goes out, so that runs
 * and commands that never call a model (reference policies, `list`, `validate`,
 * reports) do not load either SDK.
 */
export function lazySend<Body>(build: () => Promise<WireSend<Body>>): WireSend<Body> {
  let sender: Promise<WireSend<Body>> | undefined;
  return async (body, init) => (await (sender ??= build()))(body, init);
}

export const DEFAULT_TIMEOUT_MS = 120_000;

export interface LiveProviderConfig<Body> {
  id: string;
  codec: WireCodec<Body>;
  send: WireSend<Body>;
  limiter: RequestLimiter;
  retry: RetryPolicy;
  timeoutMs: number;
  recorder?: Recorder | undefined;
  /** Masked in every response body, so a key echoed by a server reaches neither records nor recordings. */
  secrets?: readonly string[];
  retryDeps?: RetryDeps;
}

/** A model behind an API: limits, retries, optional recording, then decoding. */
export class LiveModelProvider<Body> implements Provider {
  readonly kind = 'model' as const;
  readonly id: string;

  constructor(private readonly config: LiveProviderConfig<Body>) {
    this.id = config.id;
  }

  async generate(request: ModelRequest, signal?: AbortSignal): Promise<ModelResponse> {
    const { codec, send, limiter, retry, timeoutMs } = this.config;
    const body = codec.encode(request);
    let exchange: WireExchange;
    let retries: number;
    try {
      const attempt = (): Promise<WireExchange> => withChildSignal(signal, (child) => send(body, { signal: child, timeoutMs }));
      ({ value: exchange, retries } = await withRetries(() => limiter.run(attempt, signal), retry, signal, this.config.retryDeps));
    } catch (e) {
      if (e instanceof ProviderError && e.retries > 0) e.message = `${e.message} (gave up after ${e.retries} ${e.retries === 1 ? 'retry' : 'retries'})`;
      if (e instanceof ProviderError && !signal?.aborted) this.record(request, body, { error: recordedError(e), retries: e.retries });
      throw e;
    }
    if (this.config.secrets) exchange = { ...exchange, body: scrubJson(exchange.body, this.config.secrets) };
    this.record(request, body, { response: exchange, retries });
    return { ...decodeExchange(codec, this.id, exchange), retries };
  }

  private record(request: ModelRequest, body: Body, outcome: Pick<Recording, 'response' | 'error' | 'retries'>): void {
    if (!this.config.recorder) return;
    const { context, ...rest } = request;
    this.config.recorder.write({ format: 1, hash: requestHash(this.id, request), provider: this.id, api: this.config.codec.api, context, request: rest, wireRequest: body, ...outcome });
  }
}

/** The error as stored in a recording: class, message, status and whether it halts the provider. */
function recordedError(e: ProviderError): RecordedError {
  const statusCode = (e as { statusCode?: number | undefined }).statusCode;
  return { name: e.name, message: e.message, ...(statusCode !== undefined ? { statusCode } : {}), ...(e.halts ? { halts: e.halts } : {}) };
}

/**
 * Decodes a 2xx body. A body that parsed as JSON but lacks the API's fields is a
 * `ProviderResponseError` naming the provider; it is not retried: the same
 * request would get the same well-formed but wrong answer.
 */
function decodeExchange(codec: WireCodec<unknown>, providerId: string, exchange: WireExchange): ModelResponse {
  try {
    return codec.decode(exchange.body);
  } catch (e) {
    if (e instanceof ProviderResponseError) throw new ProviderResponseError(`${providerId}: HTTP ${exchange.status}, but ${e.message}`, { isRetryable: false });
    throw e;
  }
}

/**
 * Runs `fn` with a per-request signal that follows `signal`. The SDKs add an
 * abort listener to the signal they are given and never remove it; handing them
 * a short-lived child keeps the run's long-lived signal from collecting one
 * listener per request.
 */
async function withChildSignal<T>(signal: AbortSignal | undefined, fn: (child: AbortSignal | undefined) => Promise<T>): Promise<T> {
  if (!signal) return fn(undefined);
  const child = new AbortController();
  const onAbort = (): void => child.abort(signal.reason);
  if (signal.aborted) onAbort();
  else signal.addEventListener('abort', onAbort, { once: true });
  try {
    return await fn(child.signal);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

/** Serves recorded responses; never touches the network and needs no key. */
export class ReplayProvider implements Provider {
  readonly kind = 'model' as const;

  constructor(
    readonly id: string,
    private readonly codec: WireCodec<unknown>,
    private readonly store: ReplayStore,
  ) {}

  generate(request: ModelRequest): Promise<ModelResponse> {
    try {
      const rec = this.store.lookup(this.id, request);
      if (!rec.response) throw rebuildError(rec);
      return Promise.resolve({ ...decodeExchange(this.codec, this.id, rec.response), retries: rec.retries });
    } catch (e) {
      return Promise.reject(e as Error);
    }
  }
}

export function retryPolicyFrom(options: ProviderOptions): RetryPolicy {
  return {
    ...DEFAULT_RETRY_POLICY,
    ...(options.maxRetries !== undefined ? { maxRetries: options.maxRetries } : {}),
    ...(options.retryBaseDelayMs !== undefined ? { baseDelayMs: options.retryBaseDelayMs } : {}),
    ...(options.retryMaxDelayMs !== undefined ? { maxDelayMs: options.retryMaxDelayMs } : {}),
  };
}

export interface ModelHandleSpec<Body> {
  /** Spec as given, e.g. `openai:gpt-4o-mini`. */
  id: string;
  codec: WireCodec<Body>;
  /** Environment variable read for the key when the config names none. */
  defaultKeyEnv: string;
  /** Builds the SDK client at the edge and returns its sender; its errors mask `ctx.secrets` and name `ctx.keyEnv` / `ctx.model`. */
  connect(apiKey: string, timeoutMs: number, ctx: SenderContext): WireSend<Body>;
}

const EXAMPLE_MODEL: Record<string, string> = {
  openai: 'openai:gpt-4o-mini',
  'openai-responses': 'openai-responses:gpt-4.1-mini',
  anthropic: 'anthropic:claude-sonnet-4-5',
};

/**
 * The handle a model factory returns: one provider (one client, one limiter)
 * shared by every scenario of the run.
 */
export function modelHandle<Body>(spec: ModelHandleSpec<Body>, options: ProviderOptions): ProviderHandle {
  const [prefix, model] = [spec.id.slice(0, spec.id.indexOf(':')), spec.id.slice(spec.id.indexOf(':') + 1)];
  if (model.trim() === '') throw new UsageError(`"${spec.id}" names no model; write ${prefix}:<model>, e.g. ${EXAMPLE_MODEL[prefix] ?? `${prefix}:my-model`}`);
  if (options.recordDir !== undefined && options.replayDir !== undefined) throw new UsageError('give either --record or --replay, not both');
  let provider: Provider;
  if (options.replayDir !== undefined) {
    provider = new ReplayProvider(spec.id, spec.codec as WireCodec<unknown>, new ReplayStore(options.replayDir));
  } else {
    const apiKey = readApiKey(options, spec.defaultKeyEnv);
    const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
    provider = new LiveModelProvider({
      id: spec.id,
      codec: spec.codec,
      send: spec.connect(apiKey, timeoutMs, {
        providerId: spec.id,
        model,
        keyEnv: options.apiKeyEnv ?? spec.defaultKeyEnv,
        keySent: apiKey !== PLACEHOLDER_KEY,
        secrets: secretsOf(apiKey),
      }),
      limiter: new RequestLimiter({ concurrency: options.concurrency, requestsPerMinute: options.requestsPerMinute }),
      retry: retryPolicyFrom(options),
      timeoutMs,
      recorder: options.recordDir !== undefined ? new Recorder(options.recordDir, secretsOf(apiKey)) : undefined,
      secrets: secretsOf(apiKey),
    });
  }
  return { id: spec.id, kind: 'model', forScenario: () => provider };
}
