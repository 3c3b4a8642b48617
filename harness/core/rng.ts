/** Seeded pseudo-random numbers (mulberry32) and seed derivation, so runs are reproducible. */
export type Rng = () => number;

/**
 * mulberry32 as two steps, for loops that draw many numbers and keep the state in a local: the state
 * advances by `mulberry32Step`, and each number is `mulberry32Bits(state) / 2 ** 32`. `mulberry32`
 * below is the same generator as a closure.
 */
export function mulberry32Step(state: number): number {
  return (state + 0x6d2b79f5) >>> 0;
}

/** The 32 bits of mulberry32's number for `state` (the number is these / 2 ** 32). */
export function mulberry32Bits(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

export function mulberry32(seed: number): Rng {
  let a = seed >>> 0;
  return () => {
    a = mulberry32Step(a);
    return mulberry32Bits(a) / 4294967296;
  };
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
