import { ProviderConnectionError, ProviderError, ProviderHttpError, ProviderTimeoutError } from './provider-errors.js';
import { retryAfterFromHeaders } from './retry.js';
import { scrubText } from './secrets.js';

/** The error classes both official SDKs export (same generator, same shape). */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error & { status?: number | undefined; headers?: Headers | undefined; error?: unknown };
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
}

/** Statuses worth another attempt: timeouts, lock conflicts, rate limits, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/**
 * Turns an SDK error into a `ProviderError` whose message names the provider
 * and never contains the API key.
 */
export function fromSdkError(e: unknown, sdk: SdkErrorClasses, providerId: string, timeoutMs: number, secrets: readonly string[]): ProviderError {
  const msg = (text: string): string => scrubText(`${providerId}: ${text}`, secrets);
  if (e instanceof sdk.APIUserAbortError) return new ProviderError(msg('request aborted'), { isRetryable: false });
  if (e instanceof sdk.APIConnectionTimeoutError) return new ProviderTimeoutError(msg(`no response within the request timeout of ${timeoutMs} ms`));
  if (e instanceof sdk.APIConnectionError) {
    const cause = (e as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `${e.message} (${cause.message})` : e.message;
    return new ProviderConnectionError(msg(`connection failed: ${detail}`));
  }
  if (e instanceof sdk.APIError && typeof e.status === 'number') {
    const headers = e.headers;
    const shouldRetry = headers?.get('x-should-retry');
    const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : isRetryableStatus(e.status);
    return new ProviderHttpError(e.status, msg(`HTTP ${e.status} from the API: ${e.message}`), {
      isRetryable: retryable,
      retryAfterMs: headers ? retryAfterFromHeaders((name) => headers.get(name)) : undefined,
    });
  }
  if (e instanceof ProviderError) return e;
  return new ProviderError(msg(e instanceof Error ? `${e.name}: ${e.message}` : String(e)), { isRetryable: false, cause: e });
}
