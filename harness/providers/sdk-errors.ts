import {
  ProviderAuthError,
  ProviderConnectionError,
  ProviderError,
  ProviderHttpError,
  ProviderModelNotFoundError,
  ProviderResponseError,
  ProviderTimeoutError,
} from './provider-errors.js';
import { describeUnreadableBody } from './response-body.js';
import { retryAfterFromHeaders } from './retry.js';
import { scrubText } from './secrets.js';

/** The error classes both official SDKs export (same generator, same shape). */
export interface SdkErrorClasses {
  APIError: abstract new (...args: never[]) => Error & { status?: number | undefined; headers?: Headers | undefined; error?: unknown };
  APIConnectionError: abstract new (...args: never[]) => Error;
  APIConnectionTimeoutError: abstract new (...args: never[]) => Error;
  APIUserAbortError: abstract new (...args: never[]) => Error;
}

/** What a sender knows about its provider, for messages that say what to fix. */
export interface SenderContext {
  /** e.g. `openai:gpt-4o` */
  providerId: string;
  /** The model as sent, e.g. `gpt-4o`. */
  model: string;
  /** The environment variable the key is read from. */
  keyEnv: string;
  /** False when the variable was unset and a placeholder went to a local server. */
  keySent: boolean;
  /** Masked in every message. */
  secrets: readonly string[];
}

/** Statuses worth another attempt: timeouts, lock conflicts, rate limits, server errors. */
export function isRetryableStatus(status: number): boolean {
  return status === 408 || status === 409 || status === 429 || status >= 500;
}

/** `type`, `code` and `message` of an error body in either vendor's shape (OpenAI `{error}`, the SDK's `e.error`; Anthropic `{type: 'error', error}`). */
export interface ErrorFields {
  type: string | undefined;
  code: string | undefined;
  message: string | undefined;
}

export function errorFields(error: unknown): ErrorFields {
  const outer = isObject(error) ? error : {};
  const inner = isObject(outer.error) ? outer.error : outer;
  const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
  return { type: str(inner.type), code: str(inner.code), message: str(inner.message) };
}

const isObject = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Whether an error answer says the requested model does not exist (or this key cannot see it). */
export function isModelNotFound(status: number, fields: ErrorFields): boolean {
  if (fields.code === 'model_not_found') return status >= 400 && status < 500;
  return status === 404 && fields.type !== undefined && /not_?found/i.test(fields.type);
}

/**
 * Turns an SDK error into a `ProviderError` whose message names the provider
 * and never contains the API key: 401/403 become `ProviderAuthError` naming the
 * key's variable, a missing model `ProviderModelNotFoundError` naming it (both
 * halt the provider); an error status whose body is not JSON (a proxy's HTML
 * page) a `ProviderResponseError` saying so, retried when its status is.
 */
export function fromSdkError(e: unknown, sdk: SdkErrorClasses, ctx: SenderContext, timeoutMs: number): ProviderError {
  const msg = (text: string): string => scrubText(`${ctx.providerId}: ${text}`, ctx.secrets);
  if (e instanceof sdk.APIUserAbortError) return new ProviderError(msg('request aborted'), { isRetryable: false });
  if (e instanceof sdk.APIConnectionTimeoutError) return new ProviderTimeoutError(msg(`no response within the request timeout of ${timeoutMs} ms`));
  if (e instanceof sdk.APIConnectionError) {
    const cause = (e as { cause?: unknown }).cause;
    const detail = cause instanceof Error ? `${e.message} (${causeChain(cause)})` : e.message;
    return new ProviderConnectionError(msg(`connection failed before any answer: ${detail}`));
  }
  if (e instanceof sdk.APIError && typeof e.status === 'number') return fromStatusError(e.status, e, ctx, msg);
  if (e instanceof ProviderError) return e;
  return new ProviderError(msg(e instanceof Error ? `${e.name}: ${e.message}` : String(e)), { isRetryable: false, cause: e });
}

function fromStatusError(
  status: number,
  e: Error & { headers?: Headers | undefined; error?: unknown },
  ctx: SenderContext,
  msg: (text: string) => string,
): ProviderError {
  const headers = e.headers;
  const fields = errorFields(e.error);
  // The SDKs build the message as `<status> <error.message | JSON body | raw text>`.
  const text = e.message.startsWith(`${status} `) ? e.message.slice(`${status} `.length) : e.message;
  const noBody = text === 'status code (no body)';
  const notJson = e.error === undefined && !noBody;
  const said = fields.message ?? (noBody ? 'no error message' : notJson ? describeUnreadableBody(headers?.get('content-type'), text, ctx.secrets) : clipped(text));
  const kind = fields.code ?? fields.type;
  const detail = `HTTP ${status}${kind !== undefined ? ` ${kind}` : ''}: ${said}`;
  if (status === 401 || status === 403) {
    if (isModelNotFound(status, fields)) return new ProviderModelNotFoundError(status, msg(`the API says the model "${ctx.model}" does not exist or this key cannot use it (${detail})`));
    const refused = ctx.keySent
      ? `the API refused the key in ${ctx.keyEnv}`
      : `the API asks for a key, but ${ctx.keyEnv} is not set, so none was sent`;
    return new ProviderAuthError(status, msg(`${refused} (${detail})`));
  }
  if (isModelNotFound(status, fields)) {
    return new ProviderModelNotFoundError(status, msg(`the API says the model "${ctx.model}" does not exist (${detail}); check the model name and the base URL`));
  }
  const shouldRetry = headers?.get('x-should-retry');
  const retryable = shouldRetry === 'true' ? true : shouldRetry === 'false' ? false : isRetryableStatus(status);
  const retryAfterMs = headers ? retryAfterFromHeaders((name) => headers.get(name)) : undefined;
  if (notJson) return new ProviderResponseError(msg(`HTTP ${status} from the API, and ${said}`), { isRetryable: retryable, statusCode: status, retryAfterMs });
  return new ProviderHttpError(status, msg(`HTTP ${status} from the API${kind !== undefined ? ` (${kind})` : ''}: ${said}`), { isRetryable: retryable, retryAfterMs });
}

const clipped = (text: string): string => (text.length > 200 ? `${text.slice(0, 200)}…` : text);

/** `terminated (other side closed)`: an error's message with its causes'. */
export function causeChain(e: Error): string {
  const parts = [e.message];
  let cause = (e as { cause?: unknown }).cause;
  for (let i = 0; i < 3 && cause instanceof Error; i++) {
    parts.push(cause.message);
    cause = (cause as { cause?: unknown }).cause;
  }
  return parts.filter((p, i) => p !== '' && parts.indexOf(p) === i).join(': ');
}
