import type { WireSend } from './model-provider.js';
import { fromSdkError, type SdkErrorClasses } from './sdk-errors.js';
import { scrubHeaders } from './secrets.js';

/** The per-request options batchbench passes to either SDK: its own timeout, no SDK retries. */
export interface SdkRequestOptions {
  timeout: number;
  maxRetries: 0;
  signal?: AbortSignal;
}

/** One SDK call, e.g. `(body, opts) => client.messages.create(body, opts)`; both SDKs' promises have `withResponse`. */
export type SdkCall<Body> = (body: Body, options: SdkRequestOptions) => { withResponse(): Promise<{ data: unknown; response: Response }> };

/**
 * A sender around an injected SDK call: status, credential-free headers and the
 * parsed body of the exchange; SDK errors become `ProviderError`s that name the
 * provider and never contain the key.
 */
export function sdkSender<Body>(call: SdkCall<Body>, sdk: SdkErrorClasses, providerId: string, secrets: readonly string[]): WireSend<Body> {
  return async (body, { signal, timeoutMs }) => {
    try {
      const { data, response } = await call(body, { timeout: timeoutMs, maxRetries: 0, ...(signal ? { signal } : {}) }).withResponse();
      return { status: response.status, headers: scrubHeaders(response.headers, secrets), body: data };
    } catch (e) {
      throw fromSdkError(e, sdk, providerId, timeoutMs, secrets);
    }
  };
}
