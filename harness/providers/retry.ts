import { ProviderError } from './provider-errors.js';

/**
 * The one retry layer of model providers. The SDK clients are built with
 * `maxRetries: 0`, so every retry happens here and is counted in the response.
 */
export interface RetryPolicy {
  /** Retries after the first attempt (0 = try once). */
  maxRetries: number;
  /** Backoff before retry n (0-based) is `min(maxDelayMs, baseDelayMs * 2^n)`, minus up to `jitter` of it. */
  baseDelayMs: number;
  maxDelayMs: number;
  /** Fraction of the backoff removed at random, in [0, 1]. */
  jitter: number;
  /** Longest server-requested wait (`retry-after`) honoured; longer requests are cut to this. */
  maxRetryAfterMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  jitter: 0.25,
  maxRetryAfterMs: 60_000,
};

export interface RetryDeps {
  sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
  random?: () => number;
}

/** Wait before retry number `attempt` (0-based): the server's wish if it gave one, else backoff with jitter. */
export function retryDelayMs(policy: RetryPolicy, attempt: number, retryAfterMs: number | undefined, random: () => number = Math.random): number {
  if (retryAfterMs !== undefined) return Math.min(Math.max(0, retryAfterMs), policy.maxRetryAfterMs);
  const backoff = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt);
  return backoff * (1 - policy.jitter * random());
}

/**
 * Server-requested wait from response headers: `retry-after-ms` (milliseconds),
 * else `retry-after` (seconds, or an HTTP date).
 */
export function retryAfterFromHeaders(get: (name: string) => string | null | undefined, now: number = Date.now()): number | undefined {
  const ms = get('retry-after-ms');
  if (ms != null && ms !== '') {
    const n = Number.parseFloat(ms);
    if (Number.isFinite(n)) return n;
  }
  const after = get('retry-after');
  if (after == null || after === '') return undefined;
  const seconds = Number.parseFloat(after);
  if (Number.isFinite(seconds)) return seconds * 1000;
  const date = Date.parse(after);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason as Error);
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason as Error);
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Runs `attempt` until it succeeds, fails with a non-retryable error, or the
 * retries run out. Returns the value and the retries spent; a final error
 * carries them in `retries`.
 */
export async function withRetries<T>(
  attempt: (n: number) => Promise<T>,
  policy: RetryPolicy,
  signal?: AbortSignal,
  deps: RetryDeps = {},
): Promise<{ value: T; retries: number }> {
  const wait = deps.sleep ?? sleep;
  const random = deps.random ?? Math.random;
  for (let n = 0; ; n++) {
    try {
      return { value: await attempt(n), retries: n };
    } catch (e) {
      const retryable = e instanceof ProviderError && e.isRetryable && !signal?.aborted;
      if (!retryable || n >= policy.maxRetries) {
        if (e instanceof ProviderError) e.retries = n;
        throw e;
      }
      const retryAfter = (e as { retryAfterMs?: number | undefined }).retryAfterMs;
      await wait(retryDelayMs(policy, n, retryAfter, random), signal);
    }
  }
}
