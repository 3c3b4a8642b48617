import { replyBody } from './wire-replies.js';
import type { ReceivedRequest, WireInterceptor, WireReply, WireServer, WireStep } from './wire-server.js';

/**
 * Faults the wire server can inject, each as the real vendors (or the proxies in
 * front of them) produce it. Error bodies follow the shapes the APIs send:
 * OpenAI `{error: {message, type, param, code}}`, Anthropic
 * `{type: 'error', error: {type, message}, request_id}`.
 */
export const WIRE_FAULTS = [
  'reset',
  'reset-mid-body',
  'truncated',
  'malformed',
  'html',
  'html-200',
  '500',
  '401',
  '403',
  'model-not-found',
  'hang',
  'stall-mid-body',
] as const;

export type WireFault = (typeof WIRE_FAULTS)[number];

/** What each fault is, for `serve.ts --help` and error messages. */
export const WIRE_FAULT_HELP: Record<WireFault, string> = {
  reset: 'connection reset before the headers',
  'reset-mid-body': 'headers sent, then the connection reset half-way through the body',
  truncated: 'a 200 whose JSON body ends half-way (the response itself ends cleanly)',
  malformed: 'a 200 with a malformed JSON body',
  html: "a proxy's 502 Bad Gateway HTML page",
  'html-200': 'a 200 with an HTML page instead of JSON',
  '500': "a 500 in the API's error format",
  '401': "the vendor's 401 for a refused key",
  '403': "the vendor's 403 for a key without permission",
  'model-not-found': "the vendor's answer for a model that does not exist",
  hang: 'never answers (the client times out)',
  'stall-mid-body': 'headers and half the body sent, then nothing (the client times out)',
};

const PROXY_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n' +
  '<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n' +
  '<!-- a padding to make the page look like a real one -->\r\n'.repeat(6);

const SIGN_IN_PAGE =
  '<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><title>Sign in</title></head>' +
  '<body><main><h1>Sign in to continue</h1><form method="post" action="/login"><input name="user"><input name="password" type="password"></form></main></body></html>';

/** How OpenAI echoes a refused key: its first 8 and last 4 characters, the rest masked. */
function maskedKey(request: ReceivedRequest): string {
  const auth = String(request.headers.authorization ?? request.headers['x-api-key'] ?? '');
  const key = auth.replace(/^Bearer\s+/i, '');
  return key.length > 12 ? `${key.slice(0, 8)}${'*'.repeat(key.length - 12)}${key.slice(-4)}` : '********';
}

const anthropicError = (type: string, message: string): Record<string, unknown> => ({ type: 'error', error: { type, message }, request_id: 'req_011CWireServer' });
const openaiError = (message: string, type: string, code: string | null, param: string | null = null): Record<string, unknown> => ({
  error: { message, type, param, code },
});

/** The reply a fault gives to `request` (the model name and key come from it). */
export function faultReply(fault: WireFault, request: Pick<ReceivedRequest, 'route' | 'body' | 'headers'>): WireReply {
  const route = request.route;
  const anthropic = route === 'messages';
  const model = typeof request.body?.model === 'string' ? (request.body.model as string) : 'unknown-model';
  const ok = (): unknown => replyBody(route, { text: 'the wire server was cut off here' });
  switch (fault) {
    case 'reset':
      return { body: null, transport: 'reset-before-headers' };
    case 'reset-mid-body':
      return { body: ok(), transport: 'reset-mid-body' };
    case 'truncated':
      return { body: ok(), transport: 'truncate' };
    case 'malformed':
      return { body: null, raw: JSON.stringify(ok()).replace(',"', ',,"') };
    case 'html':
      return { status: 502, headers: { 'content-type': 'text/html' }, body: null, raw: PROXY_502 };
    case 'html-200':
      return { headers: { 'content-type': 'text/html; charset=utf-8' }, body: null, raw: SIGN_IN_PAGE };
    case '500':
      return { status: 500, body: anthropic ? anthropicError('api_error', 'Internal server error') : openaiError('The server had an error while processing your request. Sorry about that!', 'server_error', null) };
    case '401':
      return {
        status: 401,
        body: anthropic
          ? anthropicError('authentication_error', 'invalid x-api-key')
          : openaiError(
              `Incorrect API key provided: ${maskedKey(request as ReceivedRequest)}. You can find your API key at https://platform.openai.com/account/api-keys.`,
              'invalid_request_error',
              'invalid_api_key',
            ),
      };
    case '403':
      return {
        status: 403,
        body: anthropic
          ? anthropicError('permission_error', 'Your API key does not have permission to use the specified resource.')
          : openaiError('Country, region, or territory not supported', 'request_forbidden', 'unsupported_country_region_territory'),
      };
    case 'model-not-found':
      if (anthropic) return { status: 404, body: anthropicError('not_found_error', `model: ${model}`) };
      // Chat Completions answers 404; the Responses API 400 with `param: 'model'`.
      if (route === 'responses') return { status: 400, body: openaiError(`The requested model '${model}' does not exist.`, 'invalid_request_error', 'model_not_found', 'model') };
      return { status: 404, body: openaiError(`The model \`${model}\` does not exist or you do not have access to it.`, 'invalid_request_error', 'model_not_found') };
    case 'hang':
      return { body: null, transport: 'hang' };
    case 'stall-mid-body':
      return { body: ok(), transport: 'stall-mid-body' };
  }
}

/** A step that answers with `fault` in the format of whichever route it serves. */
export const faultStep =
  (fault: WireFault): WireStep =>
  (request) =>
    faultReply(fault, request);

/**
 * A fault rule, as `serve.ts --fault` takes it:
 *   `<fault>`          every request
 *   `<fault>:<n>`      the first n requests, then normal service
 *   `<fault>/<k>`      every k-th request (the k-th, 2k-th, ...)
 *   `storm:<ms>`       every request answers 500 for ms milliseconds from the first request, then normal service
 */
export type FaultRule = { fault: WireFault; first?: number; every?: number } | { fault: 'storm'; ms: number };

export function parseFaultRule(spec: string): FaultRule {
  const m = /^([a-z0-9-]+)(?:([:/])(\d+))?$/.exec(spec.trim());
  const known = `faults: storm:<ms>, ${WIRE_FAULTS.join(', ')}; each as <fault>, <fault>:<first n requests> or <fault>/<every k-th request>`;
  if (!m) throw new Error(`--fault "${spec}" is not <fault>, <fault>:<n> or <fault>/<k>; ${known}`);
  const [, name = '', sep, num] = m;
  const n = num === undefined ? undefined : Number(num);
  if (name === 'storm') {
    if (sep !== ':' || n === undefined || n <= 0) throw new Error(`--fault storm needs a duration in ms, e.g. storm:10000`);
    return { fault: 'storm', ms: n };
  }
  if (!(WIRE_FAULTS as readonly string[]).includes(name)) throw new Error(`--fault "${spec}": unknown fault "${name}"; ${known}`);
  if (n !== undefined && n <= 0) throw new Error(`--fault "${spec}": the count must be at least 1`);
  const fault = name as WireFault;
  return sep === ':' ? { fault, first: n as number } : sep === '/' ? { fault, every: n as number } : { fault };
}

/** Installs a rule on the server; requests are counted across all routes. */
export function applyFaultRule(server: WireServer, rule: FaultRule): void {
  if (rule.fault === 'storm') {
    server.storm(rule.ms);
    return;
  }
  const { fault } = rule;
  let seen = 0;
  const interceptor: WireInterceptor = (request) => {
    seen++;
    if (rule.first !== undefined && seen > rule.first) return undefined;
    if (rule.every !== undefined && seen % rule.every !== 0) return undefined;
    return faultReply(fault, request);
  };
  server.intercept(interceptor);
}

/** Short description of a rule, e.g. `reset-mid-body on every 3rd request`. */
export function describeFaultRule(rule: FaultRule): string {
  if (rule.fault === 'storm') return `storm: every request answers 500 for ${rule.ms} ms from the first request`;
  const what = `${rule.fault} (${WIRE_FAULT_HELP[rule.fault]})`;
  if (rule.first !== undefined) return `${what} on the first ${rule.first} request(s)`;
  if (rule.every !== undefined) return `${what} on every request whose number is a multiple of ${rule.every}`;
  return `${what} on every request`;
}

