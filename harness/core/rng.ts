/** Seeded pseudo-random numbers (mulberry32) and seed derivation, so runs are reproducible. */
export type Rng = () => number;

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * mulberry32 as a stream: `fill(out, count)` writes the next `count` numbers into `out`, the same numbers
 * in the same order as calls of `mulberry32(seed)`. A loop that needs many numbers at once (the bootstrap's
 * resamples) takes them a batch at a time from one tight loop instead of one closure call each.
 */
export class Mulberry32Stream {
  #a: number;

  constructor(seed: number) {
    this.#a = seed >>> 0;
  }

  fill(out: Float64Array, count: number = out.length): void {
    let a = this.#a;
    for (let i = 0; i < count; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      out[i] = ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    }
    this.#a = a;
  }
}

/** A 32-bit seed derived from a base seed and any number of labels (FNV-1a over their text). */
export function deriveSeed(base: number, ...labels: (string | number)[]): number {
  // FNV-1a over the code points of the labels joined by U+0000, read in place (no joined string).
  let h = 0x811c9dc5 ^ (base >>> 0);
  for (let l = 0; l < labels.length; l += 1) {
    if (l > 0) h = Math.imul(h, 0x01000193) >>> 0; // the separator: h ^= 0
    const text = String(labels[l]);
    for (let i = 0; i < text.length; i += 1) {
      const cp = text.codePointAt(i) as number;
      if (cp > 0xffff) i += 1;
      h ^= cp;
      h = Math.imul(h, 0x01000193) >>> 0;
    }
  }
  return h >>> 0;
}
