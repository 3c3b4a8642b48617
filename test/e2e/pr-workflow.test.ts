import { execFileSync } from 'node:child_process';
import { chmodSync, cpSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { captureIO } from '../helpers.js';
import { tempDir } from '../cli/helpers.js';
import { batchbench, batchbenchCommands, expand, FULL_SUITE, readWorkflow, stepRuns, testProject, words, type Context, type Job } from './workflow-helpers.js';

const workflow = readWorkflow('pull-request.yml');
const job = workflow.jobs['bench'] as Job;

/** A stand-in for the `gh` CLI: lists the comments it holds, creates or updates one; every call is logged. */
const FAKE_GH = `#!/bin/bash
set -e
state="$GH_STATE"
if [[ "$*" == *"--jq"* ]]; then cat "$state/ids" 2>/dev/null || true; exit 0; fi
body=""
for a in "$@"; do if [[ "$a" == body=@* ]]; then body="\${a#body=@}"; fi; done
if [[ "$1 $2" == "api -X" ]]; then echo "PATCH $4" >> "$state/log"; else echo "POST $2" >> "$state/log"; echo 101 > "$state/ids"; fi
cp "$body" "$state/comment.md"
`;

/**
 * Runs the job's steps as a runner would: `npx batchbench` in-process, other
 * shell steps in bash (with the fake gh), the cache actions on a directory.
 * After a failed step only `always()` steps run. Returns each batchbench exit code.
 */
async function runJob(cwd: string, ctx: Context, cache: string, ghState: string): Promise<{ codes: number[]; failed: boolean }> {
  const codes: number[] = [];
  let failed = false;
  const env = Object.fromEntries(Object.entries(workflow.env).map(([k, v]) => [k, expand(String(v), ctx)]));
  for (const step of job.steps) {
    if ((failed && !(step.if ?? '').includes('always()')) || !stepRuns(step, ctx)) continue;
    const w = Object.fromEntries(Object.entries(step.with ?? {}).map(([k, v]) => [k, expand(String(v), ctx)]));
    if (step.uses?.startsWith('actions/cache/save')) cpSync(join(cwd, w['path'] as string), join(cache, w['key'] as string), { recursive: true });
    if (step.uses?.startsWith('actions/cache/restore')) {
      const keys = existsSync(cache) ? readdirSync(cache).sort() : [];
      const hit = keys.find((k) => k === w['key']) ?? keys.filter((k) => k.startsWith(w['restore-keys'] as string)).at(-1);
      if (hit !== undefined) cpSync(join(cache, hit), join(cwd, w['path'] as string), { recursive: true });
    }
    if (step.run === undefined || step.run === 'npm ci') continue;
    const commands = batchbenchCommands(workflow, { steps: [step] }, ctx);
    if (commands.length > 0) {
      for (const { argv } of commands) {
        const r = await batchbench(argv, cwd);
        codes.push(r.code);
        if (r.code !== 0) failed = true;
      }
      continue;
    }
    const stepEnv = Object.fromEntries(Object.entries(step.env ?? {}).map(([k, v]) => [k, expand(String(v), ctx)]));
    execFileSync('bash', ['-e', '-c', expand(step.run, ctx)], { cwd, env: { ...process.env, ...env, ...stepEnv, GH_STATE: ghState, PATH: `${ghState}/bin:${process.env['PATH'] ?? ''}` } });
  }
  return { codes, failed };
}

describe('examples/github-actions/pull-request.yml', () => {
  it('runs on pull requests and on pushes to main, may write one comment, keeps no baseline in the repository', () => {
    expect(Object.keys(workflow.on).sort()).toEqual(['pull_request', 'push']);
    expect(workflow.on['push']).toEqual({ branches: ['main'] });
    expect(workflow.permissions).toEqual({ contents: 'read', 'pull-requests': 'write' });
    const uses = job.steps.flatMap((s) => (s.uses ? [s.uses.split('@')[0] as string] : []));
    expect(uses).toEqual(['actions/checkout', 'actions/setup-node', 'actions/cache/save', 'actions/cache/restore', 'actions/upload-artifact']);
    expect(job.steps.some((s) => s.run === 'npm ci')).toBe(true);
    const ctx = { night: 1, cwd: '/nowhere', vars: {} };
    expect(batchbenchCommands(workflow, job, ctx).map((c) => c.argv.slice(0, c.argv[0] === 'baseline' ? 2 : 1).join(' '))).toEqual(['run', 'baseline save', 'compare']);
  });

  it('uses only commands and flags the CLI has', async () => {
    for (const { argv } of batchbenchCommands(workflow, job, { night: 1, cwd: '/nowhere', vars: {} })) {
      const path = argv[0] === 'baseline' ? argv.slice(0, 2) : argv.slice(0, 1);
      const io = captureIO();
      expect(await main([...path, '--help'], io)).toBe(0);
      const help = io.stdout.join('\n');
      for (const flag of argv.filter((a) => a.startsWith('-'))) expect(help).toMatch(new RegExp(`(^|[\\s,])${flag.split('=')[0]}[\\s,]`));
    }
    expect(words('gh api "repos/$REPO" -F body=@comment.md', { REPO: 'o/p' })).toEqual(['gh', 'api', 'repos/o/p', '-F', 'body=@comment.md']);
  });

  it('main saves a gzipped baseline in the cache; a pull request compares with it, comments once, updates the comment, and fails on a regression', async () => {
    const root = tempDir('pr-workflow');
    const cache = join(root, 'cache');
    const gh = join(root, 'gh');
    mkdirSync(join(gh, 'bin'), { recursive: true });
    writeFileSync(join(gh, 'bin', 'gh'), FAKE_GH);
    chmodSync(join(gh, 'bin', 'gh'), 0o755);
    // Every job starts from a fresh checkout of the project (the small suite; BATCHBENCH_E2E_FULL=1: the default suite).
    let variants = 0;
    const checkout = (name: string): string => {
      const cwd = join(root, name);
      mkdirSync(cwd, { recursive: true });
      variants = testProject(cwd).variants;
      return cwd;
    };

    // A pull request before main has a baseline: a warning, no compare, no comment.
    const early = await runJob(checkout('pr-early'), { night: 1, cwd: join(root, 'pr-early'), vars: {}, event: 'pull_request' }, cache, gh);
    expect(early).toEqual({ codes: [0], failed: false });
    expect(existsSync(join(gh, 'log'))).toBe(false);

    // A push to main: the run is saved as the baseline, gzipped, and cached under the commit.
    const mainDir = checkout('main');
    expect(await runJob(mainDir, { night: 2, cwd: mainDir, vars: {}, event: 'push' }, cache, gh)).toEqual({ codes: [0, 0], failed: false });
    expect(readdirSync(join(cache, 'batchbench-main-sha2')).sort()).toEqual(['baseline.json', 'run.json', 'sessions.jsonl.gz']);

    // A pull request that changes nothing: compare passes, one comment is posted.
    const same = checkout('pr-same');
    expect(await runJob(same, { night: 3, cwd: same, vars: {}, event: 'pull_request' }, cache, gh)).toEqual({ codes: [0, 0], failed: false });
    expect(readFileSync(join(gh, 'log'), 'utf8')).toBe('POST repos/owner/project/issues/7/comments\n');
    const first = readFileSync(join(gh, 'comment.md'), 'utf8');
    // One provider: per variant the error-rate gate and the four default metric gates (10 on the small suite).
    const gates = 5 * variants;
    expect(first.split('\n').slice(0, 2)).toEqual(['<!-- batchbench-compare -->', `## batchbench compare: PASS: all ${gates} gate(s) passed`]);

    // The next push to the pull request batches less: compare exits 1 and fails the check; the same comment is updated.
    const worse = checkout('pr-worse');
    const r = await runJob(worse, { night: 4, cwd: worse, vars: { BATCHBENCH_PROVIDER: 'ref:stochastic:0.3' }, event: 'pull_request' }, cache, gh);
    expect(r.failed).toBe(true);
    expect(r.codes).toEqual([0, 1]);
    expect(readFileSync(join(gh, 'log'), 'utf8').split('\n').filter(Boolean)).toEqual(['POST repos/owner/project/issues/7/comments', 'PATCH repos/owner/project/issues/comments/101']);
    const second = readFileSync(join(gh, 'comment.md'), 'utf8');
    expect(second).toMatch(new RegExp(`^<!-- batchbench-compare -->\n## batchbench compare: REGRESSION: \\d+ of ${gates} gate\\(s\\) failed`));
    expect(second).toContain('### Failed gates');
    expect(second.length).toBeLessThan(65_536);
    rmSync(root, { recursive: true, force: true });
  }, FULL_SUITE ? 900_000 : 60_000);
});
