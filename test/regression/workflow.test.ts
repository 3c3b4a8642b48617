import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../harness/cli/program.js';
import { readRun } from '../../harness/run/run-files.js';
import { captureIO } from '../helpers.js';
import { tempDir } from './helpers.js';
import { findAll, parseXml } from './xml.js';

const REPO = join(import.meta.dirname, '..', '..');
const WORKFLOW = join(REPO, 'examples', 'github-actions', 'nightly.yml');

interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
interface Job {
  needs?: string;
  steps: Step[];
  strategy?: { matrix: Record<string, unknown[]> };
}
interface Workflow {
  on: { schedule: { cron: string }[] };
  env: Record<string, string>;
  jobs: Record<string, Job>;
}

const workflow = parse(readFileSync(WORKFLOW, 'utf8')) as Workflow;

/** The few expressions the workflow uses, evaluated as GitHub would for a night with no repository variables. */
function expression(expr: string, ctx: { shard?: number; night: number; cwd: string; vars: Record<string, string> }): string {
  const e = expr.trim();
  let m: RegExpExecArray | null;
  if (e === 'matrix.shard' && ctx.shard !== undefined) return String(ctx.shard);
  if (e === 'github.run_number' || e === 'github.run_id') return String(ctx.night);
  if ((m = /^secrets\.\w+$/.exec(e))) return '';
  if ((m = /^vars\.(\w+) \|\| '([^']*)'$/.exec(e))) return ctx.vars[m[1] as string] ?? (m[2] as string);
  if ((m = /^hashFiles\('([^']+)'\) (==|!=) ''$/.exec(e))) return String(existsSync(join(ctx.cwd, m[1] as string)) === (m[2] === '!='));
  throw new Error(`the test does not know the expression \${{ ${e} }}`);
}
const expand = (text: string, ctx: Parameters<typeof expression>[1]): string => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => expression(e, ctx));

/** Splits a shell command line into words: quotes, and $NAME / ${NAME} from `env`. No globbing: the workflow uses none in batchbench commands. */
function words(line: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  const vars = (s: string): string => s.replace(/\$\{?(\w+)\}?/g, (_, n: string) => env[n] ?? '');
  while ((m = re.exec(line))) out.push(m[2] !== undefined ? m[2] : vars(m[1] ?? m[3] ?? ''));
  return out;
}

/** The `npx batchbench ...` commands of a job's `run:` steps, as argv after `batchbench`, with the step's `if:`. */
function batchbenchCommands(job: Job, ctx: Parameters<typeof expression>[1]): { argv: string[]; when: string | undefined }[] {
  const env = Object.fromEntries(Object.entries(workflow.env).map(([k, v]) => [k, expand(String(v), ctx)]));
  return job.steps.flatMap((step) => {
    if (step.run === undefined) return [];
    const stepEnv = { ...env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), ctx)])) };
    return expand(step.run, ctx)
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('npx batchbench '))
      .map((l) => ({ argv: words(l, stepEnv).slice(2), when: step.if }));
  });
}

/**
 * A project with the suite's batching-heavy scenarios (fan-outs and same-tool fan-outs, where a policy that
 * batches less shows at once) and two prompt variants: the workflow's commands run unchanged on it.
 */
function smallProject(cwd: string): void {
  cpSync(join(REPO, 'fixtures'), join(cwd, 'fixtures'), { recursive: true });
  mkdirSync(join(cwd, 'scenarios'));
  const wide = readdirSync(join(REPO, 'scenarios'))
    .filter((f) => f.endsWith('.yaml') && /^shape: (fan-out|same-tool-n-args)\s*$/m.test(readFileSync(join(REPO, 'scenarios', f), 'utf8')))
    .sort()
    .slice(0, 8);
  expect(wide.length).toBeGreaterThanOrEqual(6);
  for (const f of wide) cpSync(join(REPO, 'scenarios', f), join(cwd, 'scenarios', f));
  mkdirSync(join(cwd, 'prompts'));
  for (const f of ['baseline.md', 'parallel-permission.md']) cpSync(join(REPO, 'prompts', f), join(cwd, 'prompts', f));
}

/**
 * Runs a workflow command through the CLI's own entry (`main`) with `cwd` as the working directory, as
 * `npx batchbench` does in a project; in-process, so the night costs no Node start-ups (the installed
 * bin itself is exercised by test/package/pack.test.ts).
 */
async function batchbench(argv: readonly string[], cwd: string): Promise<{ code: number; out: string }> {
  const io = captureIO();
  const before = process.cwd();
  const summary = process.env['GITHUB_STEP_SUMMARY'];
  process.chdir(cwd);
  process.env['GITHUB_STEP_SUMMARY'] = '';
  try {
    const code = await main(argv, io);
    return { code, out: [...io.stdout, ...io.stderr].join('\n') };
  } finally {
    process.chdir(before);
    if (summary === undefined) delete process.env['GITHUB_STEP_SUMMARY'];
    else process.env['GITHUB_STEP_SUMMARY'] = summary;
  }
}

describe('examples/github-actions/nightly.yml', () => {
  it('is a scheduled workflow: shards in a matrix, then merge, compare, trend and upload', () => {
    expect(workflow.on.schedule[0]?.cron).toMatch(/^(\S+ ){4}\S+$/);
    const { run, compare } = workflow.jobs as { run: Job; compare: Job };
    expect(run.strategy?.matrix['shard']).toEqual([1, 2, 3, 4]);
    expect(compare.needs).toBe('run');
    const uses = (job: Job): string[] => job.steps.flatMap((s) => (s.uses ? [s.uses.split('@')[0] as string] : []));
    for (const job of [run, compare]) {
      expect(uses(job)).toEqual(expect.arrayContaining(['actions/checkout', 'actions/setup-node', 'actions/upload-artifact']));
      expect(job.steps.some((s) => s.run === 'npm ci')).toBe(true);
    }
    expect(uses(compare)).toContain('actions/download-artifact');
    // Reports are uploaded even when the compare step failed the job.
    expect(compare.steps.filter((s) => s.uses?.startsWith('actions/upload-artifact')).every((s) => s.if === 'always()')).toBe(true);
    const ctx = { night: 1, cwd: REPO, vars: {} };
    expect(batchbenchCommands(compare, ctx).map((c) => c.argv[0])).toEqual(['merge', 'compare', 'history']);
  });

  it('uses only commands and flags the CLI has', async () => {
    const ctx = { shard: 1, night: 1, cwd: REPO, vars: {} };
    const commands = Object.values(workflow.jobs).flatMap((job) => batchbenchCommands(job, ctx));
    expect(commands.length).toBe(4);
    for (const { argv } of commands) {
      const path = argv[0] === 'baseline' ? argv.slice(0, 2) : argv.slice(0, 1);
      const io = captureIO();
      expect(await main([...path, '--help'], io)).toBe(0);
      const help = io.stdout.join('\n');
      expect(help).toContain(`Usage: batchbench ${path.join(' ')}`);
      for (const flag of argv.filter((a) => a.startsWith('-'))) expect(help).toMatch(new RegExp(`(^|[\\s,])${flag.split('=')[0]}[\\s,]`));
    }
  });

  it('its commands work night after night, and fail the job on a regression', async () => {
    const cwd = tempDir('nightly');
    smallProject(cwd);
    // A small suite keeps the test quick; everything else is the workflow's own command line.
    const night = async (n: number, provider?: string): Promise<{ code: number; out: string }[]> => {
      // Each night starts on fresh machines: no shards from the night before.
      rmSync(join(cwd, 'reports', 'shards'), { recursive: true, force: true });
      const vars = provider ? { BATCHBENCH_PROVIDER: provider } : {};
      const results: { code: number; out: string }[] = [];
      for (const shard of [1, 2, 3, 4]) {
        for (const { argv } of batchbenchCommands(workflow.jobs['run'] as Job, { shard, night: n, cwd, vars })) {
          const r = await batchbench(argv, cwd);
          expect(r.code, r.out).toBe(0);
        }
      }
      const ctx = { night: n, cwd, vars };
      for (const { argv, when } of batchbenchCommands(workflow.jobs['compare'] as Job, ctx)) {
        // A step's `if:` decides as GitHub would (a failed step before it does not stop `always()` steps).
        if (when !== undefined && when !== 'always()' && expression(when, ctx) !== 'true') continue;
        results.push(await batchbench(argv, cwd));
      }
      return results;
    };

    // Night 1: no baseline yet, so the compare step is skipped; merge and history run.
    const first = await night(1);
    expect(first.map((r) => r.code)).toEqual([0, 0]);
    const run1 = readRun(join(cwd, 'reports', 'nights', 'night-1'));
    expect(run1.manifest.mergedFrom).toHaveLength(4);
    expect(run1.manifest.config.repeats).toBe(3);

    // Save night 1 as the baseline, as docs/nightly.md says.
    expect((await batchbench(['baseline', 'save', 'reports/nights/night-1', '--name', 'nightly', '--baselines', 'baselines'], cwd)).code).toBe(0);

    // Night 2: same seed, same policy: every gate passes.
    const second = await night(2);
    expect(second.map((r) => r.code), second.map((r) => r.out).join('\n')).toEqual([0, 0, 0]);
    expect(readFileSync(join(cwd, 'reports', 'compare', 'compare.md'), 'utf8')).toContain('PASS');

    // Night 3: a policy that batches less: the compare step exits 1 and fails the job.
    const third = await night(3, 'ref:stochastic:0.3');
    expect(third.map((r) => r.code), third.map((r) => r.out).join('\n')).toEqual([0, 1, 0]);
    const junit = parseXml(readFileSync(join(cwd, 'reports', 'compare', 'junit.xml'), 'utf8'));
    expect(findAll(junit, 'failure').map((f) => f.attrs['message'])).toEqual(expect.arrayContaining([expect.stringMatching(/^batching_rate fell/)]));
    const history = parseCsv(readFileSync(join(cwd, 'reports', 'history', 'history.csv')), { columns: true }) as Record<string, string>[];
    expect([...new Set(history.map((r) => r['run_id']))]).toEqual(['night-1', 'night-2', 'night-3']);
    expect(existsSync(join(cwd, 'reports', 'history', 'history.html'))).toBe(true);
  }, 90_000);
});
