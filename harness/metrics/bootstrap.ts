import { mulberry32, mulberry32Bits, mulberry32Step, type Rng } from '../core/rng.js';
import { normalCdf, normalQuantile, studentTCdf, studentTQuantile } from './distributions.js';

/**
 * Seeded bootstrap of means. Rows (sessions, or pairs of sessions) are drawn
 * with replacement; every column is averaged over the same draw, so the
 * resampled means of one row set stay jointly consistent. Pure: the seed comes
 * in as an argument and the same input gives the same output.
 */
export interface BootstrapOptions {
  resamples: number;
  seed: number;
  /**
   * The task (scenario) of each row. Given, rows are drawn within their task,
   * as many per task as the sample has: the suite's tasks are fixed, so the
   * interval speaks for these tasks (the between-task spread is no sampling
   * error). With `generalize`, tasks are drawn too (with replacement), then rows
   * within each drawn task: a two-level bootstrap whose interval speaks for
   * tasks like these.
   */
  strata?: readonly string[];
  generalize?: boolean;
}

export interface BootstrapDistribution {
  /** Rows in the sample. */
  n: number;
  /** Mean of the sample itself. */
  mean: number;
  /** Resampled means, sorted ascending. Empty when n < 2. */
  sorted: Float64Array;
}

export interface Interval {
  lower: number;
  upper: number;
}

export function bootstrapMeans(columns: readonly (readonly number[])[], options: BootstrapOptions): BootstrapDistribution[] {
  const n = columns[0]?.length ?? 0;
  const means = columns.map((c) => {
    let s = 0;
    for (let i = 0; i < c.length; i++) s += c[i] as number;
    return n === 0 ? Number.NaN : s / n;
  });
  if (n < 2) return columns.map((_, i) => ({ n, mean: means[i] as number, sorted: new Float64Array(0) }));
  const out = columns.map(() => new Float64Array(options.resamples));
  const rng = mulberry32(options.seed);
  const groups = options.strata ? strataOf(options.strata, n) : undefined;
  const G = groups?.length ?? 0;
  // Per task: its size and the √(n_g / (n_g − 1)) spread correction (see below).
  const sizes = Uint32Array.from(groups ?? [], (g) => g.length);
  const factors = Float64Array.from(sizes, (size) => (size > 1 ? Math.sqrt(size / (size - 1)) : 0));
  const stratified = groups !== undefined && !options.generalize;
  // The resampled mean of one draw, from the sum of each task's drawn values (stratified) or of all drawn values.
  const drawMean = (groupSums: (g: number) => number, meanOf: (g: number) => number, total: number, drawn: number): number => {
    if (!stratified) return total / drawn;
    let t = 0;
    for (let g = 0; g < G; g++) {
      const size = sizes[g] as number;
      const m = meanOf(g);
      t += size * (m + (factors[g] as number) * (groupSums(g) / size - m));
    }
    return t / n;
  };
  // A column whose rows are all one value has that resampled mean in every draw whatever is drawn (each drawn
  // sum adds the same value as often as the sample does): it is worked out once, by the same arithmetic. Not when
  // tasks are drawn too: the number of rows drawn varies, and with it the last bit of the mean.
  const constant = columns.map((col) => !(groups !== undefined && options.generalize === true) && allEqual(col));
  const live = columns.flatMap((_, c) => (constant[c] ? [] : [c]));
  columns.forEach((col, c) => {
    if (!constant[c]) return;
    const x = col[0] as number;
    const repeat = (times: number): number => {
      let acc = 0;
      for (let i = 0; i < times; i++) acc += x;
      return acc;
    };
    (out[c] as Float64Array).fill(drawMean((g) => repeat(sizes[g] as number), (g) => repeat(sizes[g] as number) / (sizes[g] as number), repeat(n), n));
  });
  const L = live.length;
  // The varying columns, one after another (column j's rows at j*n .. j*n+n-1).
  const data = new Float64Array(n * L);
  live.forEach((c, j) => {
    const col = columns[c] as readonly number[];
    for (let r = 0; r < n; r++) data[j * n + r] = col[r] as number;
  });
  const B = options.resamples;
  const draws = new Float64Array(L * B);
  if (L > 0 && !groups) resamplePlain(data, n, L, B, options.seed, draws);
  else if (L > 0 && stratified) {
    const starts = new Int32Array(G + 1);
    for (let g = 0; g < G; g++) starts[g + 1] = (starts[g] as number) + (sizes[g] as number);
    const members = new Int32Array(n);
    (groups as Uint32Array[]).forEach((g, i) => members.set(g, starts[i] as number));
    const stratumMeans = new Float64Array(L * G);
    for (let j = 0; j < L; j++) {
      for (let g = 0; g < G; g++) {
        const group = (groups as Uint32Array[])[g] as Uint32Array;
        stratumMeans[j * G + g] = group.reduce((acc, i) => acc + (data[j * n + i] as number), 0) / group.length;
      }
    }
    resampleStratified(data, n, L, B, options.seed, members, starts, factors, stratumMeans, draws);
  } else if (L > 0) resampleTasks(data, n, L, B, rng, groups as Uint32Array[], draws);
  live.forEach((c, j) => (out[c] as Float64Array).set(draws.subarray(j * B, (j + 1) * B)));
  // Drawn within tasks, the sample's degrees of freedom are Σ (n_g − 1): the interval's small-sample expansion uses them.
  const effectiveN = groups && !options.generalize ? groups.reduce((k, g) => k + g.length - 1, 0) + 1 : n;
  // A column with one resampled mean (one value, or one value per task: a deterministic policy) is sorted as it is.
  return out.map((o, i) => ({ n: effectiveN, mean: means[i] as number, sorted: allSame(o) ? o : o.sort() }));
}

// Loops by index over the values: a callback per element (\`every\`) would box each double it is passed.
/** Whether every value is === the first. */
function allEqual(values: readonly number[]): boolean {
  const first = values[0];
  for (let i = 1; i < values.length; i++) if (values[i] !== first) return false;
  return true;
}

/** Whether every value is the first (Object.is: NaN is itself, 0 is not -0). */
function allSame(values: Float64Array): boolean {
  const first = values[0] as number;
  for (let i = 1; i < values.length; i++) if (!Object.is(values[i], first)) return false;
  return true;
}

// The resampling loops. Each takes only typed arrays and numbers, so the compiler keeps one fast shape for
// it; the generator's state is a local (mulberry32Step, mulberry32Bits: the numbers of mulberry32(seed),
// each turned into a row as soon as drawn). Every resample draws its rows first (the random numbers in the
// same order as always), then sums each
// column's drawn values in a local accumulator, in the order drawn: the same values added in the same order
// as a plain column-by-column loop, so the figures are the same to the last bit. Draw b of column j goes to
// out[j * B + b].

/** Rows drawn with replacement from all n rows. */
function resamplePlain(data: Float64Array, n: number, L: number, B: number, seed: number, out: Float64Array): void {
  let state = seed >>> 0;
  const idx = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    for (let i = 0; i < n; i++) {
      state = mulberry32Step(state);
      idx[i] = Math.floor((mulberry32Bits(state) / 4294967296) * n);
    }
    for (let j = 0; j < L; j++) {
      const base = j * n;
      let sum = 0;
      for (let i = 0; i < n; i++) sum += data[base + (idx[i] as number)] as number;
      out[j * B + b] = sum / n;
    }
  }
}

/**
 * Rows drawn within their task, as many as the task has (task g's rows are members[starts[g] .. starts[g+1]-1]).
 * Within each task, the drawn mean's spread is rescaled by √(n_g / (n_g − 1)) (`factors`) so its variance is the
 * unbiased s_g² / n_g: with 3 repeats a task, the plain draw would under-state it by a third.
 */
function resampleStratified(
  data: Float64Array,
  n: number,
  L: number,
  B: number,
  seed: number,
  members: Int32Array,
  starts: Int32Array,
  factors: Float64Array,
  stratumMeans: Float64Array,
  out: Float64Array,
): void {
  const G = starts.length - 1;
  // A task whose rows are all one value in a column adds the same term to that column's mean in every draw,
  // whichever of its rows are drawn: the term is worked out once, by the same arithmetic (a deterministic
  // policy makes most tasks so). A column where every task is so has one resampled mean, and when every
  // column is so, nothing needs drawing.
  const fixed = new Uint8Array(L * G);
  const term = new Float64Array(L * G);
  const whole = new Uint8Array(L);
  for (let j = 0; j < L; j++) {
    let all = 1;
    for (let g = 0; g < G; g++) {
      const start = starts[g] as number;
      const size = (starts[g + 1] as number) - start;
      const v = data[j * n + (members[start] as number)] as number;
      let same = 1;
      for (let i = 1; i < size && same === 1; i++) if (data[j * n + (members[start + i] as number)] !== v) same = 0;
      if (same === 0) {
        all = 0;
        continue;
      }
      let sum = 0;
      for (let i = 0; i < size; i++) sum += v;
      const m = stratumMeans[j * G + g] as number;
      fixed[j * G + g] = 1;
      term[j * G + g] = size * (m + (factors[g] as number) * (sum / size - m));
    }
    whole[j] = all;
    if (all === 1) {
      let total = 0;
      for (let g = 0; g < G; g++) total += term[j * G + g] as number;
      out.fill(total / n, j * B, (j + 1) * B);
    }
  }
  if (whole.every((w) => w === 1)) return;
  let state = seed >>> 0;
  const idx = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    let k = 0;
    for (let g = 0; g < G; g++) {
      const start = starts[g] as number;
      const size = (starts[g + 1] as number) - start;
      for (let i = 0; i < size; i++, k++) {
        state = mulberry32Step(state);
        idx[k] = members[start + Math.floor((mulberry32Bits(state) / 4294967296) * size)] as number;
      }
    }
    for (let j = 0; j < L; j++) {
      if (whole[j] === 1) continue;
      const base = j * n;
      const at = j * G;
      let total = 0;
      k = 0;
      for (let g = 0; g < G; g++) {
        const size = (starts[g + 1] as number) - (starts[g] as number);
        if (fixed[at + g] === 1) {
          total += term[at + g] as number;
          k += size;
          continue;
        }
        let sum = 0;
        for (let i = 0; i < size; i++) sum += data[base + (idx[k++] as number)] as number;
        const m = stratumMeans[at + g] as number;
        total += size * (m + (factors[g] as number) * (sum / size - m));
      }
      out[j * B + b] = total / n;
    }
  }
}

/** Tasks drawn with replacement, then rows within each drawn task (`--generalize tasks`): the number of rows drawn varies. */
function resampleTasks(data: Float64Array, n: number, L: number, B: number, rng: Rng, groups: readonly Uint32Array[], out: Float64Array): void {
  let idx = new Int32Array(n);
  for (let b = 0; b < B; b++) {
    const chosen = Array.from(groups, () => groups[Math.floor(rng() * groups.length)] as Uint32Array);
    const drawn = chosen.reduce((k, g) => k + g.length, 0);
    if (idx.length < drawn) idx = new Int32Array(drawn);
    let k = 0;
    for (const g of chosen) for (let i = 0; i < g.length; i++) idx[k++] = g[Math.floor(rng() * g.length)] as number;
    for (let j = 0; j < L; j++) {
      const base = j * n;
      let sum = 0;
      for (let i = 0; i < drawn; i++) sum += data[base + (idx[i] as number)] as number;
      out[j * B + b] = sum / drawn;
    }
  }
}

/** Row indices per stratum, in first-seen order. */
function strataOf(strata: readonly string[], n: number): Uint32Array[] {
  const by = new Map<string, number[]>();
  for (let i = 0; i < n; i++) {
    const key = strata[i] ?? '';
    const list = by.get(key);
    if (list) list.push(i);
    else by.set(key, [i]);
  }
  return [...by.values()].map((l) => Uint32Array.from(l));
}

/**
 * Tail level of the percentile interval for nominal level `alpha`, widened for
 * small samples: the "expanded percentile" interval of Hesterberg (2015),
 * which reads the percentiles α'/2 and 1 − α'/2 with
 *   α'/2 = Φ(−√(n/(n−1)) · t_{1−α/2, n−1}).
 * The plain percentile interval is too narrow for small n (it behaves like
 * mean ± z·s/√n with the biased s); this brings it in line with the t interval.
 */
export function expandedAlpha(alpha: number, n: number): number {
  if (n < 2) return Number.NaN;
  const key = `${alpha} ${n}`;
  let a = expandedAlphas.get(key);
  if (a === undefined) {
    a = 2 * normalCdf(-Math.sqrt(n / (n - 1)) * studentTQuantile(1 - alpha / 2, n - 1));
    // A report asks for the same few (level, n) pairs hundreds of times; the t quantile is an iterative solve.
    if (expandedAlphas.size < 4096) expandedAlphas.set(key, a);
  }
  return a;
}

const expandedAlphas = new Map<string, number>();

function sortedQuantile(sorted: Float64Array, q: number): number {
  const pos = (sorted.length - 1) * q;
  const lo = Math.floor(pos);
  const hi = Math.ceil(pos);
  const a = sorted[lo] as number;
  const b = sorted[hi] as number;
  return a === b ? a : a + (b - a) * (pos - lo);
}

/**
 * Expanded percentile interval of the mean at `confidence` (e.g. 0.95):
 * [q(α'/2), q(1 − α'/2)] of the resampled means. It stays inside the range of
 * the data, so it describes one variant's mean. NaN bounds when n < 2.
 */
export function percentileInterval(dist: BootstrapDistribution, confidence = 0.95): Interval {
  if (dist.sorted.length === 0) return { lower: Number.NaN, upper: Number.NaN };
  const a = expandedAlpha(1 - confidence, dist.n);
  return { lower: sortedQuantile(dist.sorted, a / 2), upper: sortedQuantile(dist.sorted, 1 - a / 2) };
}

/**
 * Expanded basic (reverse percentile) interval, Davison & Hinkley (1997) §5.2:
 * [2·mean − q(1 − α'/2), 2·mean − q(α'/2)]. The percentile interval leans the
 * way the sample happens to be skewed; the basic interval leans the other way,
 * as the sampling error does. For paired differences of two identical variants
 * the expanded percentile interval excluded zero in about 6% of seeded runs on
 * the discrete ratio metrics, the expanded basic one in about 3%
 * (docs/metrics.md), so comparisons use this one. NaN bounds when n < 2.
 */
export function basicInterval(dist: BootstrapDistribution, confidence = 0.95): Interval {
  const p = percentileInterval(dist, confidence);
  return { lower: 2 * dist.mean - p.upper, upper: 2 * dist.mean - p.lower };
}

/**
 * Two-sided p-value for "the mean is zero" matching `basicInterval`: that
 * interval excludes zero when q(1 − α'/2) < 2·mean or q(α'/2) > 2·mean, so the
 * raw tail share is 2·(min(#{m* ≥ 2·mean}, #{m* ≤ 2·mean}) + 1) / (B + 1),
 * mapped back through the expansion. Then p < α when the interval at level
 * 1 − α excludes zero, up to the interpolation of the percentiles. Holm's
 * procedure orders tests by it. NaN when n < 2.
 */
export function bootstrapPValue(dist: BootstrapDistribution): number {
  const b = dist.sorted.length;
  if (b === 0) return Number.NaN;
  const pivot = 2 * dist.mean;
  let le = 0;
  let ge = 0;
  const sorted = dist.sorted;
  for (let i = 0; i < b; i++) {
    const x = sorted[i] as number;
    if (x <= pivot) le += 1;
    if (x >= pivot) ge += 1;
  }
  const raw = Math.min(1, (2 * (Math.min(le, ge) + 1)) / (b + 1));
  if (raw >= 1) return 1;
  const t = -normalQuantile(raw / 2) / Math.sqrt(dist.n / (dist.n - 1));
  return Math.min(1, 2 * (1 - studentTCdf(t, dist.n - 1)));
}

export const excludesZero = (i: Interval): boolean => i.lower > 0 || i.upper < 0;
