import { BatchbenchError } from '../errors.js';

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

/** The API answered with an HTTP error status. */
export class ProviderHttpError extends ProviderError {
  override readonly name = 'ProviderHttpError';
  readonly statusCode: number;
  /** Server-requested wait before the next attempt (`retry-after-ms` / `retry-after`), in ms. */
  readonly retryAfterMs: number | undefined;

  constructor(statusCode: number, message: string, options: { isRetryable: boolean; retryAfterMs?: number | undefined }) {
    super(message, { isRetryable: options.isRetryable });
    this.statusCode = statusCode;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** No answer within the per-request timeout. */
export class ProviderTimeoutError extends ProviderError {
  override readonly name = 'ProviderTimeoutError';
  constructor(message: string) {
    super(message, { isRetryable: true });
  }
}

/** The connection failed (refused, reset, DNS). */
export class ProviderConnectionError extends ProviderError {
  override readonly name = 'ProviderConnectionError';
  constructor(message: string) {
    super(message, { isRetryable: true });
  }
}

/** The API answered 2xx with a body batchbench cannot read (e.g. no choices). */
export class ProviderResponseError extends ProviderError {
  override readonly name = 'ProviderResponseError';
}

/** `--replay` found no recording for a request. */
export class ReplayMissError extends ProviderError {
  override readonly name = 'ReplayMissError';
}
