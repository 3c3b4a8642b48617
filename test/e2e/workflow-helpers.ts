/**
 * Reads an example GitHub Actions workflow and runs its `npx batchbench`
 * commands in-process, evaluating the few expressions the examples use as
 * GitHub would. Shared by the nightly and pull-request workflow tests.
 */
import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect } from 'vitest';
import { parse } from 'yaml';
import { main } from '../../harness/cli/program.js';
import { captureIO } from '../helpers.js';

export const REPO = join(import.meta.dirname, '..', '..');

export interface Step {
  name?: string;
  uses?: string;
  run?: string;
  if?: string;
  id?: string;
  env?: Record<string, string>;
  with?: Record<string, unknown>;
}
export interface Job {
  needs?: string;
  steps: Step[];
  permissions?: Record<string, string>;
  strategy?: { matrix: Record<string, unknown[]> };
}
export interface Workflow {
  on: Record<string, unknown>;
  env: Record<string, string>;
  permissions?: Record<string, string>;
  jobs: Record<string, Job>;
}

export const readWorkflow = (name: string): Workflow => parse(readFileSync(join(REPO, 'examples', 'github-actions', name), 'utf8')) as Workflow;

/** What the expressions see: the matrix shard, the run number, the event, the working directory and repository variables. */
export interface Context {
  shard?: number;
  night: number;
  cwd: string;
  vars: Record<string, string>;
  event?: 'schedule' | 'push' | 'pull_request';
}

/** The few expressions the workflows use, evaluated as GitHub would; anything else is an error of the test. */
export function expression(expr: string, ctx: Context): string {
  const e = expr.trim();
  let m: RegExpExecArray | null;
  if (e.includes(' && ')) return String(e.split(' && ').every((part) => expression(part, ctx) === 'true'));
  if (e === 'always()') return 'true';
  if (e === 'matrix.shard' && ctx.shard !== undefined) return String(ctx.shard);
  if (e === 'github.run_number' || e === 'github.run_id') return String(ctx.night);
  if (e === 'github.sha' || e === 'github.event.pull_request.base.sha') return `sha${ctx.night}`;
  if (e === 'github.event_name') return ctx.event ?? 'schedule';
  if (e === 'github.event.pull_request.number') return '7';
  if (e === 'github.repository') return 'owner/project';
  if (e === 'github.token') return '';
  if ((m = /^github\.event_name == '(\w+)'$/.exec(e))) return String((ctx.event ?? 'schedule') === m[1]);
  if ((m = /^secrets\.\w+$/.exec(e))) return '';
  if ((m = /^vars\.(\w+) \|\| '([^']*)'$/.exec(e))) return ctx.vars[m[1] as string] ?? (m[2] as string);
  if ((m = /^hashFiles\('([^']+)'\) (==|!=) ''$/.exec(e))) return String(existsSync(join(ctx.cwd, m[1] as string)) === (m[2] === '!='));
  throw new Error(`the test does not know the expression \${{ ${e} }}`);
}
export const expand = (text: string, ctx: Context): string => text.replace(/\$\{\{(.*?)\}\}/g, (_, e: string) => expression(e, ctx));

/** Whether a step runs: its `if:` (bare or in `${{ }}`) as GitHub decides it; a failed step before it does not stop `always()` steps. */
export const stepRuns = (step: Step, ctx: Context): boolean => step.if === undefined || expression(step.if.replace(/^\$\{\{(.*)\}\}$/, '$1'), ctx) === 'true';

/** Splits a shell command line into words: quotes, and $NAME / ${NAME} from `env`. No globbing: the workflows use none in batchbench commands. */
export function words(line: string, env: Record<string, string>): string[] {
  const out: string[] = [];
  const re = /"((?:[^"\\]|\\.)*)"|'([^']*)'|(\S+)/g;
  let m: RegExpExecArray | null;
  const vars = (s: string): string => s.replace(/\$\{?(\w+)\}?/g, (_, n: string) => env[n] ?? '');
  while ((m = re.exec(line))) out.push(m[2] !== undefined ? m[2] : vars(m[1] ?? m[3] ?? ''));
  return out;
}

/** The `npx batchbench ...` commands of a job's `run:` steps, as argv after `batchbench`, with the step. */
export function batchbenchCommands(workflow: Workflow, job: Job, ctx: Context): { argv: string[]; when: string | undefined; step: Step }[] {
  const env = Object.fromEntries(Object.entries(workflow.env).map(([k, v]) => [k, expand(String(v), ctx)]));
  return job.steps.flatMap((step) => {
    if (step.run === undefined) return [];
    const stepEnv = { ...env, ...Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), ctx)])) };
    return expand(step.run, ctx)
      .replace(/\\\n/g, ' ')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l.startsWith('npx batchbench '))
      .map((l) => ({ argv: words(l, stepEnv).slice(2), when: step.if, step }));
  });
}

/** How many scenarios and prompt variants a test project holds. */
export interface ProjectSize {
  scenarios: number;
  variants: number;
}

const yamlFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.yaml')).sort();
const markdownFiles = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.md')).sort();

/**
 * A project with the suite's batching-heavy scenarios (fan-outs and same-tool fan-outs, where a policy that
 * batches less shows at once) and two prompt variants: the workflows' commands run unchanged on it.
 */
export function smallProject(cwd: string): ProjectSize {
  cpSync(join(REPO, 'fixtures'), join(cwd, 'fixtures'), { recursive: true });
  mkdirSync(join(cwd, 'scenarios'));
  const wide = yamlFiles(join(REPO, 'scenarios'))
    .filter((f) => /^shape: (fan-out|same-tool-n-args)\s*$/m.test(readFileSync(join(REPO, 'scenarios', f), 'utf8')))
    .slice(0, 8);
  expect(wide.length).toBeGreaterThanOrEqual(6);
  for (const f of wide) cpSync(join(REPO, 'scenarios', f), join(cwd, 'scenarios', f));
  mkdirSync(join(cwd, 'prompts'));
  const variants = ['baseline.md', 'parallel-permission.md'];
  for (const f of variants) cpSync(join(REPO, 'prompts', f), join(cwd, 'prompts', f));
  return { scenarios: wide.length, variants: variants.length };
}

/**
 * `BATCHBENCH_E2E_FULL=1` runs the workflow tests on the whole default suite, as a project that copied
 * the repository's scenarios and prompts would: the same commands and checks, minutes instead of seconds.
 */
export const FULL_SUITE = process.env['BATCHBENCH_E2E_FULL'] === '1';

/** The project a workflow test runs in: the small suite, or the whole default suite under `BATCHBENCH_E2E_FULL=1`. */
export function testProject(cwd: string): ProjectSize {
  if (!FULL_SUITE) return smallProject(cwd);
  for (const d of ['scenarios', 'prompts', 'fixtures']) cpSync(join(REPO, d), join(cwd, d), { recursive: true });
  // The default suite: the top-level scenario and prompt files (subfolders hold opt-in suites and strategies).
  return { scenarios: yamlFiles(join(cwd, 'scenarios')).length, variants: markdownFiles(join(cwd, 'prompts')).length };
}

/**
 * Runs a workflow command through the CLI's own entry (`main`) with `cwd` as the working directory, as
 * `npx batchbench` does in a project; in-process, so a run costs no Node start-ups (the installed
 * bin itself is exercised by test/e2e/pack.test.ts).
 */
export async function batchbench(argv: readonly string[], cwd: string): Promise<{ code: number; out: string }> {
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
