/**
 * A bounded, content-keyed cache of token counts, shared by every session in the process.
 * Most counted texts repeat across variants, repeats and providers of a run (the same system
 * prompts, tool definitions and tool results), so each distinct text is tokenized once.
 * Keys are the exact texts, so a hit returns what counting would; eviction is least recently used,
 * bounded by total key characters and by entries.
 */
/** A cached text and its count, linked in order of use (oldest first). */
interface Entry {
  text: string;
  n: number;
  older: Entry | undefined;
  newer: Entry | undefined;
}

export class TokenCountCache {
  readonly #counts = new Map<string, Entry>();
  // The least and the most recently used entries: a hit relinks its entry, where moving it in the Map would delete and re-add it.
  #oldest: Entry | undefined;
  #newest: Entry | undefined;
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

  /** The cached texts, least recently used first. */
  *texts(): IterableIterator<string> {
    for (let e = this.#oldest; e !== undefined; e = e.newer) yield e.text;
  }

  /** The count of `text`, from the cache or from `count(text)` (then kept). */
  count(text: string, count: (text: string) => number): number {
    if (!this.enabled) return count(text);
    const hit = this.#counts.get(text);
    if (hit !== undefined) {
      this.hits += 1;
      if (hit !== this.#newest) {
        this.#unlink(hit);
        this.#append(hit);
      }
      return hit.n;
    }
    this.misses += 1;
    const n = count(text);
    if (text.length <= this.maxTextChars) {
      const entry: Entry = { text, n, older: undefined, newer: undefined };
      this.#counts.set(text, entry);
      this.#append(entry);
      this.#chars += text.length;
      while (this.#chars > this.maxChars || this.#counts.size > this.maxEntries) {
        const oldest = this.#oldest;
        if (oldest === undefined) break;
        this.#unlink(oldest);
        this.#counts.delete(oldest.text);
        this.#chars -= oldest.text.length;
      }
    }
    return n;
  }

  clear(): void {
    this.#counts.clear();
    this.#oldest = undefined;
    this.#newest = undefined;
    this.#chars = 0;
  }

  #unlink(e: Entry): void {
    if (e.older === undefined) this.#oldest = e.newer;
    else e.older.newer = e.newer;
    if (e.newer === undefined) this.#newest = e.older;
    else e.newer.older = e.older;
    e.older = undefined;
    e.newer = undefined;
  }

  #append(e: Entry): void {
    e.older = this.#newest;
    if (this.#newest === undefined) this.#oldest = e;
    else this.#newest.newer = e;
    this.#newest = e;
  }
}

/** `count` with every result kept in `cache` (by default one cache for the whole process). */
export function cachedCounter(count: (text: string) => number, cache: TokenCountCache = new TokenCountCache()): (text: string) => number {
  return (text) => cache.count(text, count);
}
