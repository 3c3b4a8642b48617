import type { WireSend } from './model-provider.js';
import { ProviderConnectionError, ProviderError, ProviderResponseError, ProviderTimeoutError } from './provider-errors.js';
import { parseBody } from './response-body.js';
import { causeChain, fromSdkError, type SdkErrorClasses, type SenderContext } from './sdk-errors.js';
import { scrubHeaders, scrubText } from './secrets.js';

/** The per-request options batchbench passes to either SDK: its own timeout, no SDK retries. */
export interface SdkRequestOptions {
  timeout: number;
  maxRetries: 0;
  signal?: AbortSignal;
}

/** One SDK call, e.g. `(body, opts) => client.messages.create(body, opts)`; both SDKs' promises have `asResponse`. */
export type SdkCall<Body> = (body: Body, options: SdkRequestOptions) => { asResponse(): Promise<Response> };

/**
 * A sender around an injected SDK call: status, credential-free headers and the
 * parsed body of the exchange. The SDK sends the request and turns error
 * statuses into its errors; the 2xx body is read here, so that a connection
 * cut while the body arrives is a `ProviderConnectionError`, a body that is not
 * JSON (an HTML page, a malformed or truncated body) a `ProviderResponseError`
 * saying what was wrong, both retried; and the request timeout covers the
 * whole exchange (the SDKs stop their timer once the headers are in).
 */
export function sdkSender<Body>(call: SdkCall<Body>, sdk: SdkErrorClasses, ctx: SenderContext): WireSend<Body> {
  return async (body, { signal, timeoutMs }) => {
    const attempt = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      attempt.abort(new Error('request timeout'));
    }, timeoutMs);
    const onAbort = (): void => attempt.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const msg = (text: string): string => scrubText(`${ctx.providerId}: ${text}`, ctx.secrets);
    const timeout = (): ProviderTimeoutError => new ProviderTimeoutError(msg(`no complete response within the request timeout of ${timeoutMs} ms`));
    try {
      let response: Response;
      try {
        response = await call(body, { timeout: timeoutMs, maxRetries: 0, signal: attempt.signal }).asResponse();
      } catch (e) {
        if (timedOut && !signal?.aborted) throw timeout();
        throw fromSdkError(e, sdk, ctx, timeoutMs);
      }
      let text: string;
      try {
        text = await response.text();
      } catch (e) {
        if (signal?.aborted) throw new ProviderError(msg('request aborted'), { isRetryable: false });
        if (timedOut) throw timeout();
        const detail = e instanceof Error ? causeChain(e) : String(e);
        throw new ProviderConnectionError(msg(`the connection broke while the body was read (HTTP ${response.status}): ${detail}`), { cause: e });
      }
      const parsed = parseBody(response.headers.get('content-type'), text, ctx.secrets);
      if (!parsed.ok) throw new ProviderResponseError(msg(`HTTP ${response.status}, but ${parsed.reason}`), { isRetryable: true });
      return { status: response.status, headers: scrubHeaders(response.headers, ctx.secrets), body: parsed.value };
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
    }
  };
}
