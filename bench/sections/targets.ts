import { lstatSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { medianChild, medianOf, runChild } from '../child.js';
import { median, type Figure } from '../lib.js';
import { CLI_BUNDLE } from '../../bin/fresh-build.js';

const SECTION = '7 start and matrix';
const LIMIT = '8 distance to the limit';
/** 6 variants x 30 scenarios x 5 repeats of one reference policy = 900 sessions. */
const MATRIX = ['-p', 'ref:stochastic:0.5', '-r', '5', '--quiet'];

const s = (ms: number): number => ms / 1000;

/** The CLI as shipped (the bundle the build makes of the compiled program; bin/batchbench.js runs it): start, validate, and the 900-session matrix through it and through `npm start`. */
export function startAndMatrix(root: string, runs: number): Figure[] {
  const bin = join(root, CLI_BUNDLE);
  const out = (): string => mkdtempSync(join(tmpdir(), 'bb-bench-matrix-'));
  const version = medianChild(runs * 2, () => runChild(root, [bin, '--version']));
  const help = medianChild(runs * 2, () => runChild(root, [bin, '--help']));
  // Node's own start in the same minutes: the floor under the two figures above.
  const bare = medianChild(runs * 2, () => runChild(root, ['-e', '0']));
  const floor = `a bare node -e 0 here: ${s(bare.wallMs).toFixed(3)} s`;
  const validate = medianChild(runs, () => runChild(root, [bin, 'validate']));
  const inTemp = <T>(f: (dir: string) => T): T => {
    const dir = out();
    try {
      return f(dir);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  };
  // The bundle's run and the run through `npm start` are taken in turn, and the figure is the median of
  // the differences of each pair, so that a change of load on a shared machine falls on both sides.
  const pairs = Array.from({ length: runs }, () => ({
    bundle: inTemp((dir) => runChild(root, [bin, 'run', ...MATRIX, '--out', dir])),
    npm: inTemp((dir) => runChild(root, ['start', '--silent', '--', ...MATRIX, '--out', dir], { command: 'npm' })),
  }));
  const matrix = medianOf(pairs.map((p) => p.bundle));
  const npmStart = medianOf(pairs.map((p) => p.npm));
  const npmOver = median(pairs.map((p) => p.npm.wallMs - p.bundle.wallMs));
  // npm's own share: `npm start` of a package whose start script is `node -e 0`, over a bare `node -e 0`.
  const npmItselfMs = inTemp((dir) => {
    writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'noop', private: true, scripts: { start: 'node -e 0' } }));
    const noop = Array.from({ length: runs * 2 }, () => ({ npm: runChild(root, ['start', '--silent'], { command: 'npm', cwd: dir }), node: runChild(root, ['-e', '0'], { cwd: dir }) }));
    return median(noop.map((p) => p.npm.wallMs - p.node.wallMs));
  });
  return [
    { section: SECTION, name: '`batchbench --version` (shipped bundle)', value: s(version.wallMs), unit: 's', target: { op: '<=', limit: 0.12, label: '<= 0.12 s' }, spread: version.spread, note: `peak RSS ${version.rssMb.toFixed(0)} MB; ${floor}` },
    { section: SECTION, name: '`batchbench --help` (shipped bundle)', value: s(help.wallMs), unit: 's', target: { op: '<=', limit: 0.12, label: '<= 0.12 s' }, spread: help.spread, note: floor },
    { section: SECTION, name: '`batchbench validate`, default suite (shipped bundle)', value: s(validate.wallMs), unit: 's', target: { op: '<=', limit: 0.4, label: '<= 0.4 s' }, spread: validate.spread },
    { section: SECTION, name: '900-session matrix, every report (shipped bundle): wall', value: s(matrix.wallMs), unit: 's', target: { op: '<=', limit: 1, label: '<= 1.0 s' }, spread: matrix.spread, note: `CPU ${s(matrix.cpuMs).toFixed(2)} s` },
    { section: SECTION, name: '900-session matrix, every report (shipped bundle): peak RSS', value: matrix.rssMb, unit: 'MB', target: { op: '<=', limit: 120, label: '<= 120 MB' } },
    {
      section: SECTION,
      name: '900-session matrix through `npm start`, minus the shipped bundle',
      value: s(npmOver),
      unit: 's',
      target: { op: '<=', limit: 0.4, label: '<= 0.4 s' },
      spread: npmStart.spread,
      note: `npm start ${s(npmStart.wallMs).toFixed(2)} s, median of differences of ${runs} pairs; npm itself (a start script running node -e 0, over a bare node -e 0) ${s(npmItselfMs).toFixed(2)} s of it`,
    },
  ];
}

/** The default matrix with 21 repeats (10,000+ sessions) through the shipped bundle, every report written. */
export function tenThousand(root: string): Figure[] {
  const dir = mkdtempSync(join(tmpdir(), 'bb-bench-10k-'));
  try {
    const r = runChild(root, [join(root, CLI_BUNDLE), 'run', '-r', '21', '--quiet', '--out', dir]);
    // The suite's size decides the count (30 scenarios: 11,340); it is read from the run, not assumed.
    const runDir = readdirSync(dir).find((d) => !d.startsWith('.'));
    const written = runDir ? (JSON.parse(readFileSync(join(dir, runDir, 'run.json'), 'utf8')) as { sessionsWritten: number }).sessionsWritten : 0;
    const label = `default matrix x 21 repeats (${written.toLocaleString('en-US')} sessions), every report`;
    return [
      { section: SECTION, name: `${label}: wall`, value: s(r.wallMs), unit: 's', target: { op: '<=', limit: 12, label: '<= 12 s' }, note: `CPU ${s(r.cpuMs).toFixed(2)} s` },
      { section: SECTION, name: `${label}: peak RSS`, value: r.rssMb, unit: 'MB', target: { op: '<=', limit: 250, label: '<= 250 MB' } },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The same matrix through the compiled API: every report, reports off, reports and tokenizer off. */
export function distanceToLimit(root: string, runs: number): Figure[] {
  const stage = (reports: 'on' | 'off', tokenizer: 'on' | 'off'): ReturnType<typeof medianChild> =>
    medianChild(runs, () => {
      const dir = mkdtempSync(join(tmpdir(), 'bb-bench-stage-'));
      try {
        return runChild(root, [join(root, 'bench', 'matrix-stage.mjs'), root, dir, reports, tokenizer]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  const node = medianChild(runs, () => runChild(root, ['-e', '0']));
  const full = stage('on', 'on');
  const noReports = stage('off', 'on');
  const bare = stage('off', 'off');
  const row = (name: string, r: ReturnType<typeof medianChild>, note?: string): Figure => ({
    section: LIMIT,
    name,
    value: s(r.wallMs),
    unit: 's',
    spread: r.spread,
    note: `CPU ${s(r.cpuMs).toFixed(2)} s, peak RSS ${r.rssMb.toFixed(0)} MB${note ? `; ${note}` : ''}`,
  });
  return [
    row('900 sessions, every report (API)', full, `reports cost ${s(full.wallMs - noReports.wallMs).toFixed(2)} s`),
    row('900 sessions, reports off', noReports, `tokenizer costs ${s(noReports.wallMs - bare.wallMs).toFixed(2)} s`),
    row('900 sessions, reports and tokenizer off', bare, `sessions and run file: ${s(bare.wallMs - node.wallMs).toFixed(2)} s over a bare node start`),
    row('bare `node -e 0`', node),
  ];
}

/** Disk size of a production install (`npm install --omit=dev`) of the packed tarball. */
export function installSize(root: string): Figure[] {
  const work = mkdtempSync(join(tmpdir(), 'bb-bench-install-'));
  try {
    runChild(root, ['pack', '--silent', '--pack-destination', work], { command: 'npm' });
    const app = join(work, 'app');
    runChild(root, ['-e', `require('fs').mkdirSync(${JSON.stringify(app)});require('fs').writeFileSync(${JSON.stringify(join(app, 'package.json'))}, '{"name":"app","private":true}')`]);
    const tarball = tarballIn(work);
    runChild(root, ['install', '--omit=dev', '--no-audit', '--no-fund', '--prefer-offline', tarball], { command: 'npm', cwd: app });
    const bytes = duBytes(join(app, 'node_modules'));
    return [{ section: SECTION, name: 'production install of the packed tarball: node_modules on disk', value: bytes / 1e6, unit: 'MB', target: { op: '<=', limit: 120, label: '<= 120 MB' } }];
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function tarballIn(dir: string): string {
  const t = readdirSync(dir).find((f) => f.endsWith('.tgz'));
  if (!t) throw new Error('npm pack wrote no tarball');
  return join(dir, t);
}

/** Bytes on disk under `dir` (allocated blocks, as `du` counts). */
function duBytes(dir: string): number {
  let total = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    const st = lstatSync(p);
    total += st.blocks * 512;
    if (e.isDirectory()) total += duBytes(p);
  }
  return total;
}
