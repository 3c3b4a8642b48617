import { readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { bareValidate } from '../../harness/cli/bare-validate.js';
import { fastOutput, isBareValidate } from '../../harness/cli/fast-path.js';
import { commanderVersion, readHelpCache, renderHelp, writeHelpCache } from '../../harness/cli/help-cache.js';
import { errorExitCode } from '../../harness/cli/io.js';
import { main } from '../../harness/cli/program.js';
import { BatchbenchError, InputError, UsageError } from '../../harness/core/errors.js';
import { captureIO } from '../helpers.js';
import { tempDir } from './helpers.js';

const ROOT = join(import.meta.dirname, '..', '..');
const PACKAGE_VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** What the full program prints to stdout for `argv`, as bin.ts writes it (one line at a time). */
async function printed(argv: readonly string[]): Promise<string> {
  const io = captureIO();
  expect(await main(argv, io)).toBe(0);
  expect(io.stderr).toEqual([]);
  return io.stdout.map((line) => `${line}\n`).join('');
}

describe('the fast paths print what the full program prints', () => {
  it("--version and -V, alone or after run (npm start -- --version): package.json's version", async () => {
    for (const argv of [['--version'], ['-V'], ['run', '--version'], ['run', '-V']]) {
      expect(fastOutput(argv, undefined)).toBe(`${PACKAGE_VERSION}\n`);
      expect(fastOutput(argv, 132)).toBe(`${PACKAGE_VERSION}\n`);
      expect(await printed(argv)).toBe(`${PACKAGE_VERSION}\n`);
    }
  });

  it("--help and -h print the cached help, which is commander's full help at its default width", async () => {
    const file = pathToFileURL(join(tempDir('help-cache'), 'help.json'));
    await writeHelpCache(file);
    const cached = (): string | undefined => readHelpCache(file, []);
    const full = await renderHelp();
    expect(full.startsWith('Usage: batchbench [options] [command]\n\nMeasure how efficiently LLM agents use tools')).toBe(true);
    expect(full).toContain('\n  run [options]                     run the benchmark matrix and write reports\n');
    expect(full.endsWith('\n  130  interrupted (Ctrl-C, SIGTERM); wins over 3\n')).toBe(true);
    for (const flag of ['--help', '-h']) {
      expect(fastOutput([flag], undefined, cached)).toBe(full);
      expect(fastOutput([flag], 80, cached)).toBe(full);
      // a terminal of another width: commander wraps to it, so the program runs
      expect(fastOutput([flag], 100, cached)).toBeUndefined();
    }
    // In this process stdout may be a terminal of any width; through a pipe, bin.ts prints `full` (test/e2e/fresh-build.test.ts).
    if (!process.stdout.isTTY) expect(await printed(['--help'])).toBe(full);
  });

  it('validate alone runs without commander and prints what the full program prints, with its exit code', async () => {
    expect(isBareValidate(['validate'])).toBe(true);
    for (const argv of [[], ['validate', '--strict'], ['validate', '--help'], ['--validate'], ['list'], ['run', 'validate']]) expect(isBareValidate(argv)).toBe(false);
    const bare = captureIO();
    const full = captureIO();
    const code = await bareValidate(bare);
    expect(code).toBe(await main(['validate'], full));
    expect(code).toBe(0);
    expect(bare.stdout).toEqual(full.stdout);
    expect(bare.stdout.at(-1)).toMatch(/^ok: \d+ scenario\(s\), \d+ prompt variant\(s\)$/);
    expect(bare.stderr).toEqual(full.stderr);
  });

  it("a command's error is printed and mapped to the exit code as the full program does", () => {
    const io = captureIO();
    expect(errorExitCode(new InputError([{ file: 'a.yaml', path: 'id', message: 'bad' }, { file: 'b.yaml', path: '', message: 'worse' }]), io)).toBe(2);
    expect(errorExitCode(new UsageError('no such flag'), io)).toBe(2);
    expect(errorExitCode(new BatchbenchError('broken'), io)).toBe(1);
    expect(io.stderr).toEqual(['a.yaml: id: bad', 'b.yaml: worse', 'error: no such flag', 'error: broken']);
    const bug = new TypeError('a bug');
    expect(() => errorExitCode(bug, io)).toThrow(bug);
    expect(io.stdout).toEqual([]);
  });

  it('anything else runs the full program', () => {
    const cached = (): string => 'cached help\n';
    for (const argv of [[], ['run'], ['--version', 'run'], ['list', '--version'], ['run', '--help'], ['--help', 'run'], ['help'], ['-V', '-h'], ['--Version']]) {
      expect(fastOutput(argv, undefined, cached)).toBeUndefined();
    }
  });
});

describe('the help cache', () => {
  it("names the version of the commander Node resolves for the CLI", () => {
    const resolved = createRequire(join(ROOT, 'harness', 'cli', 'program.ts')).resolve('commander');
    const version = (JSON.parse(readFileSync(join(dirname(resolved), 'package.json'), 'utf8')) as { version: string }).version;
    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    expect(commanderVersion()).toBe(version);
  });

  it('is used only when it is there, whole, written by this commander, and not older than the program', async () => {
    const dir = tempDir('help-cache');
    const file = pathToFileURL(join(dir, 'help.json'));
    const program = pathToFileURL(join(dir, 'program.js'));
    writeFileSync(program, '');
    expect(readHelpCache(file, [program])).toBeUndefined();

    writeFileSync(file, JSON.stringify({ commander: commanderVersion(), text: 'help text\n' }));
    utimesSync(program, 1_000_000, 1_000_000);
    utimesSync(file, 1_000_010, 1_000_010);
    expect(readHelpCache(file, [program])).toBe('help text\n');

    utimesSync(program, 1_000_020, 1_000_020);
    expect(readHelpCache(file, [program])).toBeUndefined();
    expect(readHelpCache(file, [pathToFileURL(join(dir, 'missing.js'))])).toBeUndefined();

    writeFileSync(file, JSON.stringify({ commander: '0.0.1', text: 'help text\n' }));
    expect(readHelpCache(file, [])).toBeUndefined();
    writeFileSync(file, JSON.stringify({ commander: commanderVersion() }));
    expect(readHelpCache(file, [])).toBeUndefined();
    writeFileSync(file, '{"commander": "14.0');
    expect(readHelpCache(file, [])).toBeUndefined();

    await writeHelpCache(file);
    expect(readHelpCache(file, [])).toBe(await renderHelp());
  });
});
