import { existsSync } from 'node:fs';
import { z } from 'zod';
import { InputError } from '../core/errors.js';
import { displayPath, parseYaml, readInputFile, validateWith } from '../core/input-files.js';
import { COMPARE_METRICS, METRIC_INFO, type CompareMetric, type MetricUnit } from './stat-metrics.js';
import { formatDelta } from './format-units.js';

/**
 * Regression gates: per metric, how far the candidate may move in the bad
 * direction before `batchbench compare` fails. Written under `gates:` in
 * batchbench.config.yaml or in a file given with `--gates`, keyed by metric:
 *
 *   gates:
 *     success_rate: { max_drop: 0 }
 *     batching_rate: { max_drop: 0.05 }   # absolute: 5 percentage points
 *     turns: { max_rise: 10% }            # relative to the baseline mean
 *     error_rate: { max_rise: 0 }         # share of sessions errored or skipped
 *
 * How a gate decides is in docs/nightly.md, `evaluateGates` and
 * `evaluateErrorGate`. The error-rate gate always applies: when no gate
 * names `error_rate`, `DEFAULT_ERROR_GATE` does.
 */

/** Gate names: the compared metrics in snake_case, with `success` named `success_rate`. */
export const GATE_METRICS: Record<string, CompareMetric> = Object.fromEntries(
  COMPARE_METRICS.map((m) => [m === 'success' ? 'success_rate' : m.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), m]),
);

/** Name of the error-rate gate: the share of sessions that errored or were skipped, per group. */
export const ERROR_RATE_GATE = 'error_rate';

export const gateName = (metric: CompareMetric): string => Object.entries(GATE_METRICS).find(([, m]) => m === metric)?.[0] ?? metric;

const threshold = z.union([
  z.number().nonnegative(),
  z.string().regex(/^\d+(\.\d+)?\s*%$/, 'a non-negative number (absolute, in the metric\'s unit) or a percentage such as "10%" (of the baseline mean)'),
]);

const gateSchema = z
  .strictObject({
    /** Largest allowed fall of the mean: absolute, or "N%" of the baseline mean. */
    max_drop: threshold.optional(),
    /** Largest allowed rise of the mean: absolute, or "N%" of the baseline mean. */
    max_rise: threshold.optional(),
  })
  .refine((g) => (g.max_drop === undefined) !== (g.max_rise === undefined), { message: 'give exactly one of max_drop or max_rise' });

const gateNames = [ERROR_RATE_GATE, ...Object.keys(GATE_METRICS)] as [string, ...string[]];

/** The error-rate gate takes only `max_rise`: fewer errors is never a regression. */
const errorGateSchema = z.strictObject({ max_rise: threshold });

/** The `gates:` map; also embedded in batchbench.config.yaml. */
export const gatesSchema = z
  .partialRecord(z.enum(gateNames), gateSchema)
  .superRefine((gates, ctx) => {
    // A rate is a fraction of 1: an absolute limit above 1 is a percentage written as a number.
    for (const [name, g] of Object.entries(gates)) {
      const metric = GATE_METRICS[name];
      if (g === undefined || (name !== ERROR_RATE_GATE && (metric === undefined || METRIC_INFO[metric].unit !== 'share'))) continue;
      for (const key of ['max_drop', 'max_rise'] as const) {
        const v = g[key];
        if (typeof v === 'number' && v > 1) {
          ctx.addIssue({
            code: 'custom',
            path: [name, key],
            message: `${name} is a rate from 0 to 1, so ${v} would be ${+(v * 100).toPrecision(6)} points; write ${+(v / 100).toPrecision(6)} for ${v} points, or "${v}%" for ${v}% of the baseline`,
          });
        }
      }
    }
    const g = gates[ERROR_RATE_GATE];
    if (g === undefined) return;
    const r = errorGateSchema.safeParse(g);
    if (!r.success) ctx.addIssue({ code: 'custom', path: [ERROR_RATE_GATE], message: 'give max_rise (the largest allowed rise of the share of sessions that errored or were skipped), e.g. { max_rise: 0 }' });
  });

/** A `--gates` file: the same `gates:` map as in batchbench.config.yaml, alone. */
export const gatesFileSchema = z.strictObject({ gates: gatesSchema });

export type GateLimit = { kind: 'absolute'; value: number } | { kind: 'relative'; fraction: number };

/** A gate on the paired change of one compared metric. */
export interface MetricGate {
  /** Name as written in the config, e.g. `batching_rate`. */
  name: string;
  metric: CompareMetric;
  /** Which way is a regression. */
  bad: 'drop' | 'rise';
  /** The allowed movement: absolute, in the metric's unit, or relative to the baseline mean. */
  limit: GateLimit;
}

/**
 * The error-rate gate: how far the share of a group's sessions that errored
 * or were skipped may rise from the baseline to the candidate (absolute, as a
 * fraction of sessions, or relative to the baseline's share).
 */
export interface ErrorRateGate {
  name: typeof ERROR_RATE_GATE;
  metric: 'errorRate';
  bad: 'rise';
  limit: GateLimit;
}

export type Gate = MetricGate | ErrorRateGate;

export const isErrorRateGate = (g: Gate): g is ErrorRateGate => g.metric === 'errorRate';
export const isMetricGate = (g: Gate): g is MetricGate => g.metric !== 'errorRate';

/** Used when no gate names `error_rate`: any rise of the candidate's error rate over the baseline's fails. */
export const DEFAULT_ERROR_GATE: ErrorRateGate = { name: ERROR_RATE_GATE, metric: 'errorRate', bad: 'rise', limit: { kind: 'absolute', value: 0 } };

/** Used when neither `--gates` nor the config file sets gates; the examples of docs/nightly.md. */
export const DEFAULT_GATES_CONFIG: z.infer<typeof gatesSchema> = {
  error_rate: { max_rise: 0 },
  success_rate: { max_drop: 0 },
  batching_rate: { max_drop: 0.05 },
  turns: { max_rise: '10%' },
  input_tokens: { max_rise: '10%' },
};

export function toGates(config: z.infer<typeof gatesSchema>): Gate[] {
  return Object.entries(config).flatMap(([name, g]): Gate[] => {
    const raw = g?.max_drop ?? g?.max_rise;
    if (g === undefined || raw === undefined) return [];
    const limit: GateLimit =
      typeof raw === 'number' ? { kind: 'absolute', value: raw } : { kind: 'relative', fraction: Number(raw.replace('%', '').trim()) / 100 };
    if (name === ERROR_RATE_GATE) return [{ name: ERROR_RATE_GATE, metric: 'errorRate', bad: 'rise', limit }];
    const metric = GATE_METRICS[name];
    if (metric === undefined) return [];
    return [{ name, metric, bad: g.max_drop !== undefined ? 'drop' : 'rise', limit }];
  });
}

export const DEFAULT_GATES: Gate[] = toGates(DEFAULT_GATES_CONFIG);

/** The unit a gate's absolute limit is written in: the metric's own; the error rate is a share of sessions. */
export const gateUnit = (gate: Gate): MetricUnit => (isErrorRateGate(gate) ? 'share' : METRIC_INFO[gate.metric].unit);

/**
 * "batching_rate may not drop by more than 5.0 pts", "turns may not rise by more than 10%":
 * an absolute limit in the unit the gate's sentence uses (points for shares).
 */
export function describeGate(gate: Gate): string {
  const amount = gate.limit.kind === 'relative' ? `${+(gate.limit.fraction * 100).toPrecision(6)}%` : formatDelta(gate.limit.value, gateUnit(gate)).slice(1);
  if (gate.limit.kind === 'absolute' && gate.limit.value === 0) return `${gate.name} may not ${gate.bad === 'drop' ? 'fall' : 'rise'}`;
  return `${gate.name} may not ${gate.bad} by more than ${amount}`;
}

function validateGates(value: unknown, file: string): Gate[] {
  const { data, issues } = validateWith(gatesFileSchema, value, file);
  if (!data) {
    const known = `; gates exist for ${gateNames.join(', ')}`;
    throw new InputError(issues.map((i) => (/^gates\.[^.]+$/.test(i.path) && i.message.startsWith('unknown field') ? { ...i, message: `unknown metric${known}` } : i)));
  }
  return toGates(data.gates);
}

/** Validates a `gates:` value that came from `file` (e.g. the config file); errors name the file and the field. */
export function parseGates(value: unknown, file: string): Gate[] {
  return validateGates({ gates: value }, file);
}

/** Reads a `--gates` file (YAML or JSON, top-level `gates:`). */
export function loadGatesFile(file: string): Gate[] {
  const shown = displayPath(file);
  if (!existsSync(file)) throw new InputError([{ file: shown, path: '', message: 'gates file not found' }]);
  const read = readInputFile(file, shown);
  if (read.text === undefined) throw new InputError(read.issues);
  const yaml = parseYaml(read.text, shown);
  if (yaml.issues.length > 0) throw new InputError(yaml.issues);
  return validateGates(yaml.value ?? {}, shown);
}

/** A metric's label for people, e.g. "Batching rate". */
export const metricLabel = (metric: CompareMetric): string => METRIC_INFO[metric].label;
