import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, realpathSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { readBounded } from '../../harness/core/bounded-read.js';
import { main } from '../../harness/cli/program.js';
import { InputError } from '../../harness/core/errors.js';
import { loadGatesFile } from '../../harness/metrics/gates.js';
import { loadPriceFile } from '../../harness/config/price-file.js';
import { captureIO } from '../helpers.js';

/**
 * A project in a temp dir: scenarios/, fixtures/, prompts/, plus files outside
 * it (secret.txt, evil.mjs) that no scenario may reach. Symlinks, the FIFO and
 * the oversized (sparse) file are made here, not checked in.
 */
let root: string;
let proj: string;
let prompts: string;
let scenarios: string;

const CAP = 5 * 1024 * 1024;

function scenarioYaml(id: string, resultFile: string, extra = ''): string {
  return [
    `id: ${id}`, 'title: t', 'domain: d', 'shape: single-call', 'task: q', extra,
    `tools: [{ name: t, description: d, parameters: { type: object }, results: [{ match: {}, result_file: ${JSON.stringify(resultFile)} }] }]`,
    'expected_calls: [{ id: a, tool: t }]',
    'success: { answer_contains: ["42"] }',
    'reference_answer: "42"',
  ].join('\n');
}

function writeScenario(name: string, text: string): string {
  const file = join(scenarios, `${name}.yaml`);
  writeFileSync(file, text);
  return file;
}

/** An alias bomb: 9^6 = 531,441 strings from 60 lines of anchors. */
const BOMB = [
  'a: &a ["x","x","x","x","x","x","x","x","x"]',
  'b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]',
  'c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]',
  'd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]',
  'e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]',
  'f: [*e,*e,*e,*e,*e,*e,*e,*e,*e]',
].join('\n');
const BOMB_MESSAGE = 'YAML aliases expand too far (over 100 alias references; an alias bomb?)';

async function cli(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = captureIO();
  const code = await main(args, io);
  return { code, out: io.stdout.join('\n'), err: io.stderr.join('\n') };
}

const validate = (scenario: string, ...more: string[]) => cli(['validate', '--scenarios', scenario, '--prompts', prompts, ...more]);

/** `run` on one scenario: returns the result and whether anything was written under --out. */
async function run(scenario: string, ...more: string[]): Promise<{ code: number; err: string; written: string[] }> {
  const out = mkdtempSync(join(root, 'out-'));
  const r = await cli(['run', '--scenarios', scenario, '--prompts', prompts, '--provider', 'ref:optimal', '--repeats', '1', '--out', out, '--quiet', ...more]);
  return { code: r.code, err: r.err, written: readdirSync(out) };
}

beforeAll(() => {
  root = realpathSync(mkdtempSync(join(tmpdir(), 'bb-hostile-')));
  proj = join(root, 'proj');
  scenarios = join(proj, 'scenarios');
  prompts = join(proj, 'prompts');
  const fixtures = join(proj, 'fixtures');
  for (const d of [scenarios, prompts, fixtures, join(fixtures, 'dir'), join(root, 'empty')]) mkdirSync(d, { recursive: true });
  writeFileSync(join(prompts, 'plain.md'), '---\nid: plain\ndescription: plain\n---\nYou are a helpful assistant.\n');
  writeFileSync(join(fixtures, 'answer.json'), '{ "answer": 42 }');
  writeFileSync(join(root, 'secret.txt'), 'OPENAI_API_KEY=sk-outside');
  symlinkSync(join(root, 'secret.txt'), join(fixtures, 'link.txt'));
  symlinkSync('/proc/self/environ', join(fixtures, 'environ'));
  execFileSync('mkfifo', [join(fixtures, 'pipe')]);
  execFileSync('mkfifo', [join(scenarios, 'pipe.yaml')]);
  writeFileSync(join(fixtures, 'big.txt'), '');
  truncateSync(join(fixtures, 'big.txt'), CAP + 1);
  // Importing this module would leave a marker: it must never be loaded.
  writeFileSync(join(root, 'evil.mjs'), `import { writeFileSync } from 'node:fs';\nwriteFileSync(${JSON.stringify(join(root, 'evil-ran'))}, 'x');\nexport default {};\n`);
  symlinkSync(join(root, 'evil.mjs'), join(scenarios, 'evil-link.mjs'));
});

describe('result_file stays inside the fixtures root', () => {
  const cases: [string, string, (fixtures: string) => string][] = [
    ['a ../ traversal', '../../secret.txt', (f) => `resolves outside ${f}/ (../../secret.txt)`],
    ['a traversal from the fixtures root', 'x/../../../etc/passwd', (f) => `resolves outside ${f}/ (x/../../../etc/passwd)`],
    ['an absolute path', '/etc/passwd', (f) => `absolute paths are not allowed (/etc/passwd); give a path inside ${f}/`],
    ['a symlink out', 'link.txt', (f) => `resolves outside ${f}/ through a symlink (link.txt -> ${root}/secret.txt)`],
    ['a directory', 'dir', () => 'fixture "dir" is a directory, not a regular file'],
    ['/dev/zero', '/dev/zero', (f) => `absolute paths are not allowed (/dev/zero); give a path inside ${f}/`],
    ['a FIFO', 'pipe', () => 'fixture "pipe" is a FIFO (named pipe), not a regular file'],
    ['a file over the 5 MiB cap', 'big.txt', () => 'fixture "big.txt" is 5,242,881 bytes, over the limit of 5,242,880 bytes (raise it with max_fixture_bytes or --max-fixture-bytes)'],
  ];

  it.each(cases)('validate and run refuse %s with exit 2 naming file and field, and run writes no run directory', async (name, ref, expected) => {
    const file = writeScenario(name.replace(/\W+/g, '-'), scenarioYaml('s', ref));
    const line = `${file}: tools.0.results.0.result_file: ${expected(join(proj, 'fixtures'))}`;
    const v = await validate(file);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toContain(line);
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toContain(line);
    expect(r.written).toEqual([]);
  });

  it('/proc/self/environ never reaches a session: not by absolute path, traversal or symlink', async () => {
    process.env.BB_HOSTILE_SECRET = 'sk-must-not-leak-7731';
    try {
      const fixtures = join(proj, 'fixtures');
      const deep = `../${'../'.repeat(root.split('/').length)}proc/self/environ`;
      const expected: [string, string][] = [
        ['/proc/self/environ', `absolute paths are not allowed (/proc/self/environ); give a path inside ${fixtures}/`],
        [deep, `resolves outside ${fixtures}/ (${deep})`],
        ['environ', `resolves outside ${fixtures}/ through a symlink (environ -> ${realpathSync('/proc/self/environ')})`],
      ];
      for (const [ref, message] of expected) {
        const file = writeScenario('environ', scenarioYaml('environ', ref));
        const r = await run(file);
        expect(r.code).toBe(2);
        expect(r.err.split('\n')).toContain(`${file}: tools.0.results.0.result_file: ${message}`);
        expect(r.err).not.toContain('sk-must-not-leak-7731');
        expect(r.written).toEqual([]);
      }
    } finally {
      delete process.env.BB_HOSTILE_SECRET;
    }
  });

  it('the cap is set by --max-fixture-bytes or max_fixture_bytes in the config', async () => {
    const big = writeScenario('big-ok', scenarioYaml('big', 'big.txt'));
    expect((await validate(big, '--max-fixture-bytes', String(CAP + 1))).code).toBe(0);
    expect((await validate(big, '--max-fixture-bytes', 'lots')).err).toBe('error: --max-fixture-bytes must be a positive integer (got "lots")');
    // answer.json is 16 bytes: a config cap of 15 refuses it, 16 lets it through.
    const small = writeScenario('small', scenarioYaml('small', 'answer.json'));
    writeFileSync(join(root, 'cap15.yaml'), 'max_fixture_bytes: 15\n');
    writeFileSync(join(root, 'cap16.yaml'), 'max_fixture_bytes: 16\n');
    const refused = await validate(small, '--config', join(root, 'cap15.yaml'));
    expect(refused.code).toBe(2);
    expect(refused.err).toContain(`${small}: tools.0.results.0.result_file: fixture "answer.json" is 16 bytes, over the limit of 15 bytes`);
    expect((await validate(small, '--config', join(root, 'cap16.yaml'))).code).toBe(0);
    const r = await run(small, '--config', join(root, 'cap15.yaml'));
    expect(r.code).toBe(2);
    expect(r.written).toEqual([]);
  });

  it('reads no more than the cap from a file that reports size 0, and never opens a device or FIFO', () => {
    expect(readBounded('/proc/self/environ', 10)).toEqual({ problem: 'holds more than 10 bytes, the limit', tooBig: true });
    expect(readBounded('/dev/zero', CAP)).toEqual({ problem: 'is a device, not a regular file' });
    expect(readBounded(join(proj, 'fixtures', 'pipe'), CAP)).toEqual({ problem: 'is a FIFO (named pipe), not a regular file' });
    expect(readBounded(join(proj, 'fixtures', 'answer.json'), 16)).toEqual({ text: '{ "answer": 42 }' });
    // A path already resolved with realpath is opened without following a link swapped in meanwhile.
    expect(readBounded(join(proj, 'fixtures', 'link.txt'), CAP, { noFollow: true })).toEqual({ problem: expect.stringMatching(/^cannot read: ELOOP/) });
    expect(readBounded(join(proj, 'fixtures', 'link.txt'), CAP)).toEqual({ text: 'OPENAI_API_KEY=sk-outside' });
  });
});

describe('handler modules stay inside the project directory', () => {
  const handlerScenario = (name: string, ref: string): string =>
    writeScenario(name, ['id: h', 'title: t', 'domain: d', 'shape: single-call', 'task: q', `handlers: ${ref}`,
      'tools: [{ name: t, description: d, parameters: { type: object } }]',
      'expected_calls: [{ id: a, tool: t }]', 'success: { answer_contains: ["42"] }', 'reference_answer: "42"'].join('\n'));

  it.each([
    ['outside the project', '../../evil.mjs', () => `resolves outside the project directory ${proj}/ (../../evil.mjs)`],
    ['by absolute path', '__ROOT__/evil.mjs', () => `absolute paths are not allowed (${root}/evil.mjs); give a path inside the project directory ${proj}/`],
    ['through a symlink', './evil-link.mjs', () => `resolves outside the project directory ${proj}/ through a symlink (./evil-link.mjs -> ${root}/evil.mjs)`],
  ])('a module %s is refused by validate and run, and never imported', async (name, ref, expected) => {
    const file = handlerScenario(`handler-${name.replace(/\W+/g, '-')}`, ref.replace('__ROOT__', root));
    const v = await validate(file);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toContain(`${file}: handlers: ${expected()}`);
    expect(v.out).not.toContain('loaded handler module');
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.written).toEqual([]);
    expect(existsSync(join(root, 'evil-ran'))).toBe(false);
  });

  it('validate names each handler module it loaded and says that its code ran', async () => {
    const dir = join(import.meta.dirname, '..', 'fixtures', 'handlers');
    const v = await cli(['validate', '--scenarios', join(dir, 'scenarios'), '--prompts', join(dir, 'prompts')]);
    expect(v.code).toBe(0);
    expect(v.out.split('\n')).toEqual([
      "loaded handler module test/fixtures/handlers/scenarios/inventory-handlers.ts (its code ran with your user's rights)",
      'ok: 1 scenario(s), 1 prompt variant(s)',
    ]);
  });
});

describe('YAML inputs are bounded', () => {
  it('an alias bomb in a scenario is exit 2 naming the file', async () => {
    const file = writeScenario('bomb', BOMB);
    const v = await validate(file);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toContain(`${file}: ${BOMB_MESSAGE}`);
    const r = await run(file);
    expect(r.code).toBe(2);
    expect(r.written).toEqual([]);
  });

  it('an alias bomb in prompt front matter is exit 2 naming the file', async () => {
    const dir = join(root, 'bomb-prompts');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'bomb.md'), `---\n${BOMB}\n---\nbody\n`);
    const good = writeScenario('good', scenarioYaml('good', 'answer.json'));
    const v = await cli(['validate', '--scenarios', good, '--prompts', dir]);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toContain(`${join(dir, 'bomb.md')}: ${BOMB_MESSAGE}`);
  });

  it('an alias bomb in the config file is exit 2 naming the file, for validate and run', async () => {
    const config = join(root, 'bomb-config.yaml');
    writeFileSync(config, BOMB);
    const good = writeScenario('good', scenarioYaml('good', 'answer.json'));
    const v = await validate(good, '--config', config);
    expect(v.code).toBe(2);
    expect(v.err).toBe(`${config}: ${BOMB_MESSAGE}`);
    const r = await run(good, '--config', config);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${config}: ${BOMB_MESSAGE}`);
    expect(r.written).toEqual([]);
  });

  it('an alias bomb in a gates file or a price file is an InputError naming the file', async () => {
    const file = join(root, 'bomb-gates.yaml');
    writeFileSync(file, `gates:\n  ${BOMB.split('\n').join('\n  ')}\n`);
    expect(() => loadGatesFile(file)).toThrow(InputError);
    expect(() => loadGatesFile(file)).toThrow(`${file}: ${BOMB_MESSAGE}`);
    expect(() => loadPriceFile(file)).toThrow(`${file}: ${BOMB_MESSAGE}`);
    // A price file reaches `run` through --prices: refused before any session.
    const good = writeScenario('good', scenarioYaml('good', 'answer.json'));
    const r = await run(good, '--prices', file);
    expect(r.code).toBe(2);
    expect(r.err).toBe(`${file}: ${BOMB_MESSAGE}`);
    expect(r.written).toEqual([]);
  });

  it('a gates file or a price file that is a device or a FIFO is refused without blocking', () => {
    const fifo = join(root, 'gates-pipe');
    if (!existsSync(fifo)) execFileSync('mkfifo', [fifo]);
    for (const load of [loadGatesFile, (f: string) => loadPriceFile(f)]) {
      expect(() => load('/dev/zero')).toThrow('/dev/zero: is a device, not a regular file');
      expect(() => load(fifo)).toThrow(`${fifo}: is a FIFO (named pipe), not a regular file`);
    }
  });

  it('a scenario over 1 MiB is refused before it is parsed', async () => {
    // '# ' (2) + 1,048,573 x + '\n' (1) + 'y' (1) = 1,048,577 bytes: one over 1 MiB.
    const file = writeScenario('huge', `# ${'x'.repeat(1024 * 1024 - 3)}\ny`);
    const v = await validate(file);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toContain(`${file}: is 1,048,577 bytes, over the limit of 1,048,576 bytes`);
  });

  it('a gates file or a price file over 1 MiB is refused before it is read, naming the file', () => {
    const file = join(root, 'huge-gates.yaml');
    writeFileSync(file, `# ${'x'.repeat(1024 * 1024 - 3)}\ny`);
    expect(() => loadGatesFile(file)).toThrow(`${file}: is 1,048,577 bytes, over the limit of 1,048,576 bytes`);
    expect(() => loadPriceFile(file)).toThrow(`${file}: is 1,048,577 bytes, over the limit of 1,048,576 bytes`);
  });

  it('a scenario path that is a FIFO or a device is refused without blocking', async () => {
    const fifo = await validate(join(scenarios, 'pipe.yaml'));
    expect(fifo.code).toBe(2);
    expect(fifo.err.split('\n')).toContain(`${join(scenarios, 'pipe.yaml')}: is a FIFO (named pipe), not a regular file`);
    const dev = await validate('/dev/zero');
    expect(dev.code).toBe(2);
    expect(dev.err.split('\n')).toContain('/dev/zero: is a device, not a regular file');
  });
});

describe('import bfcl on special files', () => {
  it('refuses a device or a FIFO as input without blocking, and writes nothing', async () => {
    const out = join(root, 'bfcl-out');
    const r = await cli(['import', 'bfcl', '/dev/zero', join(proj, 'fixtures', 'pipe'), '--out', out]);
    expect(r.code).toBe(2);
    expect(r.err.split('\n')).toEqual([
      '/dev/zero: is a device, not a regular file',
      `${join(proj, 'fixtures', 'pipe')}: is a FIFO (named pipe), not a regular file`,
      '2 problem(s) found; nothing written',
    ]);
    expect(existsSync(out)).toBe(false);
  });
});

describe('validate on a path with no scenario', () => {
  it('exits 2 naming the path', async () => {
    const empty = join(root, 'empty');
    const v = await validate(empty);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toEqual([`${empty}: no scenario file (.yaml, .yml) here`, '1 problem(s) found']);
  });

  it('and a prompts path holding only a README exits 2 naming it', async () => {
    const dir = join(root, 'readme-only');
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'README.md'), '# prompts\n');
    const v = await cli(['validate', '--scenarios', writeScenario('good', scenarioYaml('good', 'answer.json')), '--prompts', dir]);
    expect(v.code).toBe(2);
    expect(v.err.split('\n')).toEqual([`${dir}: no prompt variant file (.md) here`, '1 problem(s) found']);
  });
});
