import { BatchbenchError } from '../core/errors.js';

/**
 * Errors a model provider raises. Each carries what a caller can act on:
 * `statusCode` (read into the session record), `isRetryable`, and how many
 * retries were spent before giving up. Messages never contain an API key.
 */
export class ProviderError extends BatchbenchError {
  override readonly name: string = 'ProviderError';
  readonly isRetryable: boolean;
  /** Retries spent before this error was final. */
  retries = 0;
  /** No later request to this provider can succeed (see `SessionError.halts`). */
  readonly halts: 'auth' | 'model' | undefined;

  constructor(message: string, options: { isRetryable?: boolean; cause?: unknown; halts?: 'auth' | 'model' } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.isRetryable = options.isRetryable ?? false;
    this.halts = options.halts;
  }
}

/** The API answered with an HTTP error status and a JSON error body. */
export class ProviderHttpError extends ProviderError {
  override readonly name: string = 'ProviderHttpError';
  readonly statusCode: number;
  /** Server-requested wait before the next attempt (`retry-after-ms` / `retry-after`), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(statusCode: number, message: string, options: { isRetryable: boolean; retryAfterMs?: number | undefined; halts?: 'auth' | 'model' }) {
    super(message, { isRetryable: options.isRetryable, ...(options.halts ? { halts: options.halts } : {}) });
    this.statusCode = statusCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * The API refused the key (HTTP 401 or 403). Never retried; halts the provider:
 * no later request with the same key can succeed. The message names the
 * environment variable the key came from, never the key.
 */
export class ProviderAuthError extends ProviderHttpError {
  override readonly name = 'ProviderAuthError';
  constructor(statusCode: number, message: string) {
    super(statusCode, message, { isRetryable: false, halts: 'auth' });
  }
}

/** The API says the model does not exist (or this key cannot see it). Never retried; halts the provider. */
export class ProviderModelNotFoundError extends ProviderHttpError {
  override readonly name = 'ProviderModelNotFoundError';
  constructor(statusCode: number, message: string) {
    super(statusCode, message, { isRetryable: false, halts: 'model' });
  }
}

/** No answer within the per-request timeout. */
export class ProviderTimeoutError extends ProviderError {
  override readonly name = 'ProviderTimeoutError';
  constructor(message: string) {
    super(message, { isRetryable: true });
  }
}

/** The connection failed or broke: refused, reset before the headers, or cut while the body was read. Retried. */
export class ProviderConnectionError extends ProviderError {
  override readonly name = 'ProviderConnectionError';
  constructor(message: string, options: { cause?: unknown } = {}) {
    super(message, { isRetryable: true, ...(options.cause !== undefined ? { cause: options.cause } : {}) });
  }
}

/**
 * A body batchbench cannot read: not JSON (an HTML error page, a malformed or
 * truncated body), empty, or a 2xx JSON body without the fields of the API.
 * Unreadable bodies are retried like a 5xx; a well-formed body that lacks the
 * fields is not (the same request gets the same answer). `statusCode` is set
 * when the status was an error.
 */
export class ProviderResponseError extends ProviderError {
  override readonly name = 'ProviderResponseError';
  readonly statusCode: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { isRetryable?: boolean; statusCode?: number | undefined; retryAfterMs?: number | undefined; cause?: unknown } = {}) {
    super(message, { isRetryable: options.isRetryable ?? false, ...(options.cause !== undefined ? { cause: options.cause } : {}) });
    this.statusCode = options.statusCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** `--replay` found no recording for a request. */
export class ReplayMissError extends ProviderError {
  override readonly name = 'ReplayMissError';
}
