/**
 * A bounded, content-keyed cache of token counts, shared by every session in the process.
 * Most counted texts repeat across variants, repeats and providers of a run (the same system
 * prompts, tool definitions and tool results), so each distinct text is tokenized once.
 * Keys are the exact texts, so a hit returns what counting would; eviction is least recently used,
 * bounded by total key characters and by entries.
 */
export class TokenCountCache {
  readonly #counts = new Map<string, number>();
  #chars = 0;
  hits = 0;
  misses = 0;
  /** When false, every text is counted and nothing is kept (to compare figures with and without the cache). */
  enabled = true;

  constructor(
    /** Largest total length of the cached texts. */
    readonly maxChars = 8_000_000,
    /** Most texts kept. */
    readonly maxEntries = 100_000,
    /** Texts longer than this are counted every time, never kept. */
    readonly maxTextChars = 256_000,
  ) {}

  /** Texts cached now. */
  get size(): number {
    return this.#counts.size;
  }

  /** Total length of the cached texts. */
  get chars(): number {
    return this.#chars;
  }

  /** The cached texts, oldest first. */
  texts(): IterableIterator<string> {
    return this.#counts.keys();
  }

  /** The count of `text`, from the cache or from `count(text)` (then kept). */
  count(text: string, count: (text: string) => number): number {
    if (!this.enabled) return count(text);
    const hit = this.#counts.get(text);
    if (hit !== undefined) {
      this.hits += 1;
      // Map order is insertion order: moving the entry to the end keeps the oldest first.
      this.#counts.delete(text);
      this.#counts.set(text, hit);
      return hit;
    }
    this.misses += 1;
    const n = count(text);
    if (text.length <= this.maxTextChars) {
      this.#counts.set(text, n);
      this.#chars += text.length;
      while (this.#chars > this.maxChars || this.#counts.size > this.maxEntries) {
        const oldest = this.#counts.keys().next();
        if (oldest.done === true) break;
        this.#counts.delete(oldest.value);
        this.#chars -= oldest.value.length;
      }
    }
    return n;
  }

  clear(): void {
    this.#counts.clear();
    this.#chars = 0;
  }
}

/** `count` with every result kept in `cache` (by default one cache for the whole process). */
export function cachedCounter(count: (text: string) => number, cache: TokenCountCache = new TokenCountCache()): (text: string) => number {
  return (text) => cache.count(text, count);
}
