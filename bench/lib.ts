import { Bench } from 'tinybench';

/** One printed figure: a value, how it compares with its target, and the spread where measured. */
export interface Figure {
  section: string;
  name: string;
  value: number;
  unit: string;
  /** e.g. `< 5 s`; absent for figures without a target. */
  target?: { op: '<' | '<='; limit: number; label: string };
  spread?: string;
  note?: string;
}

export function verdict(f: Figure): string {
  if (!f.target) return '';
  const ok = f.target.op === '<' ? f.value < f.target.limit : f.value <= f.target.limit;
  return ok ? 'PASS' : 'MISS';
}

export interface Timing {
  median: number;
  min: number;
  max: number;
  p99: number;
  samples: number;
}

/** Runs `fn` with tinybench and returns latency statistics in ms. */
export async function time(name: string, fn: () => unknown, opts: { time: number; iterations: number }): Promise<Timing> {
  const bench = new Bench({ name, time: opts.time, iterations: opts.iterations, warmupIterations: 2 });
  bench.add(name, fn);
  await bench.run();
  const result = bench.tasks[0]?.result;
  if (!result || !('latency' in result)) throw new Error(`benchmark "${name}" did not complete: ${result?.state ?? 'no result'}`);
  const l = result.latency;
  return { median: l.p50, min: l.min, max: l.max, p99: l.p99, samples: l.samplesCount };
}

export function spread(t: Timing, unit = 'ms', digits = 2): string {
  return `min ${t.min.toFixed(digits)} / max ${t.max.toFixed(digits)} ${unit}, n=${t.samples}`;
}

/** Median of a list of numbers. */
export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const mid = Math.floor(s.length / 2);
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2;
}
