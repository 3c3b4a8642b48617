import { UsageError } from '../core/errors.js';

/** Headers that carry credentials; removed from every recording. */
const SECRET_HEADERS = new Set(['authorization', 'x-api-key', 'api-key', 'proxy-authorization', 'cookie', 'set-cookie', 'openai-organization', 'openai-project']);

const REDACTED = '[redacted]';

/** Sent to a custom base URL when no key is set; not a secret. */
export const PLACEHOLDER_KEY = 'no-key';

/** Strings shorter than this are never treated as secrets (they would mask ordinary text). */
const MIN_SECRET_LENGTH = 8;

/** The secrets to mask for a key: none for the placeholder. */
export function secretsOf(apiKey: string): string[] {
  return apiKey === PLACEHOLDER_KEY || apiKey.length < MIN_SECRET_LENGTH ? [] : [apiKey];
}

/**
 * Reads the API key from the environment only: `apiKeyEnv` when given, else the
 * vendor's default variable. Without a key, a custom base URL (a local
 * OpenAI-compatible server) gets a placeholder; the vendor's own API is an error.
 */
export function readApiKey(options: { apiKeyEnv?: string; baseUrl?: string }, defaultEnv: string, env: NodeJS.ProcessEnv = process.env): string {
  const name = options.apiKeyEnv ?? defaultEnv;
  const key = env[name];
  if (key !== undefined && key !== '') return key;
  if (options.baseUrl !== undefined) return PLACEHOLDER_KEY;
  throw new UsageError(`no API key: set the environment variable ${name}${options.apiKeyEnv ? '' : ' (or name another one with `api_key_env:` under the provider in batchbench.config.yaml, or --api-key-env)'}; keys are never read from flags or files`);
}

/** Replaces every occurrence of each secret in `text`. */
export function scrubText(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length >= MIN_SECRET_LENGTH) out = out.split(s).join(REDACTED);
  }
  return out;
}

/** Headers without credentials, and with any secret value masked. Keys are lower-cased. */
export function scrubHeaders(headers: Iterable<[string, string]>, secrets: readonly string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of headers) {
    const key = k.toLowerCase();
    out[key] = SECRET_HEADERS.has(key) ? REDACTED : scrubText(v, secrets);
  }
  return out;
}

/** A deep copy of a JSON value with every secret masked in every string. */
export function scrubJson<T>(value: T, secrets: readonly string[]): T {
  if (secrets.every((s) => s.length < MIN_SECRET_LENGTH)) return value;
  return JSON.parse(scrubText(JSON.stringify(value), secrets.map((s) => JSON.stringify(s).slice(1, -1)))) as T;
}
