import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { setTimeout as delay } from 'node:timers/promises';

/**
 * A local HTTP server on 127.0.0.1 that speaks the three wire formats
 * (`/v1/chat/completions`, `/v1/responses`, `/v1/messages`) so the real SDK
 * clients can be tested and benchmarked with no network. Replies are scripted
 * per route: a queue of steps, then a fallback (e.g. a reference responder).
 */
export type WireRoute = 'chat' | 'responses' | 'messages';

export interface ReceivedRequest {
  route: WireRoute;
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body (typed loosely: tests inspect it freely). */
  body: any;
  /** `performance.now()` when the request arrived. */
  at: number;
}

export interface WireReply {
  status?: number;
  headers?: Record<string, string>;
  /** Sent as JSON (ignored when `raw` is given). */
  body: unknown;
  /** Sent byte for byte instead of `body`, with the `content-type` of `headers` (an HTML page, a malformed body). */
  raw?: string;
  /**
   * Answer this long after the request arrived (simulated model latency, or a timeout). The server's own work
   * on the reply (decoding, the policy, counting tokens) falls inside it, so a load test measures the client,
   * not this server.
   */
  delayMs?: number;
  /** How the connection misbehaves instead of a clean answer; see `WireTransport`. */
  transport?: WireTransport;
}

/**
 * Connection faults: `reset-before-headers` destroys the socket once the request
 * is read; `reset-mid-body` sends the headers (with the full `content-length`)
 * and half the body, then destroys the socket; `truncate` sends half the body
 * and ends the response cleanly (chunked, so the client sees a complete but cut
 * body); `stall-mid-body` sends the headers and half the body, then nothing
 * more; `hang` never answers. Both wait until the client gives up or the server closes.
 */
export type WireTransport = 'reset-before-headers' | 'reset-mid-body' | 'truncate' | 'stall-mid-body' | 'hang';

export type WireStep = WireReply | ((request: ReceivedRequest) => WireReply | Promise<WireReply>);

/** Consulted before the route's queue: a step to answer with instead (e.g. a 500 storm), or undefined for normal service. */
export type WireInterceptor = (request: ReceivedRequest) => WireStep | undefined;

const ROUTES: [string, WireRoute][] = [
  ['/chat/completions', 'chat'],
  ['/responses', 'responses'],
  ['/messages', 'messages'],
];

export function routeOf(path: string): WireRoute | undefined {
  const clean = path.split('?')[0] ?? '';
  return ROUTES.find(([suffix]) => clean.endsWith(suffix))?.[1];
}

export class WireServer {
  readonly requests: ReceivedRequest[] = [];
  readonly #queues = new Map<WireRoute, WireStep[]>();
  readonly #fallbacks = new Map<WireRoute, WireStep>();
  readonly #interceptors: WireInterceptor[] = [];

  private constructor(
    private readonly server: Server,
    /** e.g. `http://127.0.0.1:41234` */
    readonly url: string,
  ) {}

  /** Starts on a free port of 127.0.0.1. */
  static async start(port = 0): Promise<WireServer> {
    let self: WireServer | undefined;
    const server = createServer((req, res) => {
      void self?.handle(req, res);
    });
    server.keepAliveTimeout = 5_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, '127.0.0.1', () => resolve());
    });
    const address = server.address() as AddressInfo;
    self = new WireServer(server, `http://127.0.0.1:${address.port}`);
    return self;
  }

  /** Base URL for the OpenAI SDK (it appends `/chat/completions`, `/responses`). */
  get openaiBaseUrl(): string {
    return `${this.url}/v1`;
  }

  /** Base URL for the Anthropic SDK (it appends `/v1/messages`). */
  get anthropicBaseUrl(): string {
    return this.url;
  }

  /** Queues replies for the next requests to `route`, in order. */
  script(route: WireRoute, ...steps: WireStep[]): this {
    this.#queues.set(route, [...(this.#queues.get(route) ?? []), ...steps]);
    return this;
  }

  /** The reply for `route` once its queue is empty. */
  fallback(route: WireRoute, step: WireStep): this {
    this.#fallbacks.set(route, step);
    return this;
  }

  /** Adds an interceptor, consulted for every request before the queues, in the order added. */
  intercept(interceptor: WireInterceptor): this {
    this.#interceptors.push(interceptor);
    return this;
  }

  /**
   * Every request is answered `status` (default 500, in the route's error
   * format) for `ms` milliseconds from the first request after this call, then
   * normal service resumes. Scripted replies are not used up during the storm.
   */
  storm(ms: number, status = 500): this {
    let startedAt: number | undefined;
    return this.intercept((request) => {
      startedAt ??= request.at;
      if (request.at - startedAt >= ms) return undefined;
      const type = request.route === 'messages' ? 'api_error' : 'server_error';
      const message = `wire server: storm (${status} for ${ms} ms)`;
      return { status, body: request.route === 'messages' ? { type: 'error', error: { type, message } } : { error: { message, type, param: null, code: null } } };
    });
  }

  requestsTo(route: WireRoute): ReceivedRequest[] {
    return this.requests.filter((r) => r.route === route);
  }

  /** Forgets scripts, fallbacks and received requests. */
  reset(): void {
    this.requests.length = 0;
    this.#queues.clear();
    this.#fallbacks.clear();
    this.#interceptors.length = 0;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const path = req.url ?? '/';
    const route = routeOf(path);
    const send = (status: number, body: unknown, headers: Record<string, string> = {}): void => {
      if (res.destroyed || res.writableEnded) return;
      const text = JSON.stringify(body);
      res.writeHead(status, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(text)), ...headers });
      res.end(text);
    };
    if (!route || req.method !== 'POST') {
      send(404, { error: { message: `wire server: no route for ${req.method} ${path}`, type: 'not_found' } }, { 'x-should-retry': 'false' });
      return;
    }
    let body: unknown;
    try {
      body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
    } catch {
      send(400, { error: { message: 'wire server: body is not JSON', type: 'invalid_request_error' } }, { 'x-should-retry': 'false' });
      return;
    }
    const received: ReceivedRequest = { route, method: req.method, path, headers: req.headers, body, at: performance.now() };
    this.requests.push(received);
    let step: WireStep | undefined;
    for (const intercept of this.#interceptors) step ??= intercept(received);
    step ??= this.#queues.get(route)?.shift() ?? this.#fallbacks.get(route);
    if (!step) {
      send(500, { error: { message: `wire server: nothing scripted for ${route} request #${this.requestsTo(route).length}`, type: 'server_error' } }, { 'x-should-retry': 'false' });
      return;
    }
    let reply: WireReply;
    try {
      reply = typeof step === 'function' ? await step(received) : step;
    } catch (e) {
      send(400, { error: { message: `wire server: ${(e as Error).message}`, type: 'invalid_request_error' } }, { 'x-should-retry': 'false' });
      return;
    }
    if (reply.delayMs !== undefined && reply.delayMs > 0) {
      const closed = new AbortController();
      res.once('close', () => closed.abort());
      const left = reply.delayMs - (performance.now() - received.at);
      if (left > 0) await delay(left, undefined, { signal: closed.signal }).catch(() => undefined);
    }
    if (reply.transport === undefined && reply.raw === undefined) {
      send(reply.status ?? 200, reply.body, reply.headers);
      return;
    }
    await misbehave(req, res, reply);
  }
}

/** Answers with a raw body and/or a connection fault (see `WireTransport`). */
async function misbehave(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse, reply: WireReply): Promise<void> {
  if (res.destroyed || res.writableEnded) return;
  const status = reply.status ?? 200;
  const text = reply.raw ?? JSON.stringify(reply.body);
  const headers = { 'content-type': 'application/json', ...reply.headers };
  const half = Buffer.from(text).subarray(0, Math.floor(Buffer.byteLength(text) / 2));
  switch (reply.transport) {
    case 'reset-before-headers':
      req.socket.destroy();
      return;
    case 'hang':
      await new Promise<void>((resolve) => res.once('close', () => resolve()));
      return;
    case 'reset-mid-body':
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.write(half);
      // Let the headers and the half body reach the client before the socket goes.
      await delay(20);
      res.socket?.destroy();
      return;
    case 'truncate':
      res.writeHead(status, headers);
      res.end(half);
      return;
    case 'stall-mid-body':
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.write(half);
      await new Promise<void>((resolve) => res.once('close', () => resolve()));
      return;
    case undefined:
      res.writeHead(status, { ...headers, 'content-length': String(Buffer.byteLength(text)) });
      res.end(text);
  }
}
