import pLimit, { type LimitFunction } from 'p-limit';
import { sleep } from './retry.js';

/**
 * Per-provider request limits: at most `concurrency` requests in flight and at
 * most `requestsPerMinute` started in any sliding window of `windowMs`. Every
 * HTTP attempt (retries included) passes through it.
 */
export class RequestLimiter {
  readonly #limit: LimitFunction | undefined;
  readonly #window: SlidingWindow | undefined;

  constructor(options: { concurrency?: number | undefined; requestsPerMinute?: number | undefined; windowMs?: number }) {
    this.#limit = options.concurrency !== undefined && options.concurrency > 0 ? pLimit(options.concurrency) : undefined;
    this.#window =
      options.requestsPerMinute !== undefined && options.requestsPerMinute > 0 ? new SlidingWindow(options.requestsPerMinute, options.windowMs ?? 60_000) : undefined;
  }

  run<T>(fn: () => Promise<T>, signal?: AbortSignal): Promise<T> {
    const go = async (): Promise<T> => {
      await this.#window?.take(signal);
      return fn();
    };
    return this.#limit ? this.#limit(go) : go();
  }
}

/** Admits at most `max` starts per `windowMs`, in arrival order. */
export class SlidingWindow {
  readonly #starts: number[] = [];
  #queue: Promise<void> = Promise.resolve();

  constructor(
    readonly max: number,
    readonly windowMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  take(signal?: AbortSignal): Promise<void> {
    const turn = this.#queue.then(async () => {
      for (;;) {
        const t = this.now();
        while (this.#starts.length > 0 && (this.#starts[0] as number) <= t - this.windowMs) this.#starts.shift();
        if (this.#starts.length < this.max) break;
        await sleep((this.#starts[0] as number) + this.windowMs - t, signal);
      }
      this.#starts.push(this.now());
    });
    this.#queue = turn.catch(() => undefined);
    return turn;
  }
}
