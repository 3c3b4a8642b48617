import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parse as parseCsv } from 'csv-parse/sync';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { readRun } from '../../harness/core/run-file/run-files.js';
import { captureIO } from '../helpers.js';
import { tempDir } from '../cli/helpers.js';
import { batchbench, batchbenchCommands as commandsOf, expand, FULL_SUITE, readWorkflow, REPO, stepRuns, testProject, type Context, type Job } from './workflow-helpers.js';
import { findAll, parseXml } from '../reports/xml.js';

const workflow = readWorkflow('nightly.yml');
const batchbenchCommands = (job: Job, ctx: Context) => commandsOf(workflow, job, ctx);

describe('examples/github-actions/nightly.yml', () => {
  it('is a scheduled workflow: shards in a matrix, then merge, compare, trend and upload', () => {
    expect((workflow.on['schedule'] as { cron: string }[])[0]?.cron).toMatch(/^(\S+ ){4}\S+$/);
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
    // A small suite keeps the test quick (BATCHBENCH_E2E_FULL=1: the default suite); everything else is the workflow's own command line.
    const size = testProject(cwd);
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
      for (const { argv, step } of batchbenchCommands(workflow.jobs['compare'] as Job, ctx)) {
        // A step's `if:` decides as GitHub would (a failed step before it does not stop `always()` steps).
        if (!stepRuns(step, ctx)) continue;
        results.push(await batchbench(argv, cwd));
      }
      // The shell step that shrinks the nights before the cache keeps them, as the runner would run it.
      const compact = (workflow.jobs['compare'] as Job).steps.find((st) => st.name === 'Compact the nights for tomorrow');
      execFileSync('bash', ['-e', '-c', expand(compact?.run ?? 'false', ctx)], { cwd });
      return results;
    };

    // Night 1: no baseline yet, so the compare step is skipped; merge and history run.
    const first = await night(1);
    expect(first.map((r) => r.code)).toEqual([0, 0]);
    const run1 = readRun(join(cwd, 'reports', 'nights', 'night-1'));
    expect(run1.manifest.mergedFrom).toHaveLength(4);
    expect(run1.manifest.config.repeats).toBe(3);
    // One provider: every scenario under every variant, three times, split over the four shards and joined whole.
    expect(run1.sessions).toHaveLength(size.scenarios * size.variants * 3);
    // Kept for tomorrow compacted: run.json and the gzipped sessions only, read back whole.
    expect(readdirSync(join(cwd, 'reports', 'nights', 'night-1')).sort()).toEqual(['run.json', 'sessions.jsonl.gz']);
    expect(run1.sessions).toHaveLength(run1.manifest.sessionsWritten);

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
  }, FULL_SUITE ? 900_000 : 90_000);
});
