import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * `batchbench --help` without commander: the build (`npm run build`, `npm start` when stale) writes the
 * program's help, as commander prints it at its default width, beside the compiled CLI; bin.ts prints
 * that file when the output is 80 columns wide (a pipe, a file, or an 80-column terminal) and the file
 * is still valid. Anything else (another width, no file, another commander, a program compiled after
 * the file) runs commander as before, so the text printed is always commander's.
 */

/** The width commander wraps help at when the output is not a terminal or does not say its width. */
export const DEFAULT_HELP_WIDTH = 80;

/** Where the build writes the help: beside this module (dist/harness/cli/help.json, beside the bundle too). */
export const HELP_CACHE: URL = new URL('./help.json', import.meta.url);

/**
 * The files whose text shapes the top-level help: a cache older than any is not used. The compiled modules,
 * and the file this code runs from: help-cache.js, or in the bundled CLI the chunk holding it (the build
 * writes every chunk of the bundle at once, before the help).
 */
const HELP_SOURCES = [new URL('./program.js', import.meta.url), new URL('./io.js', import.meta.url), new URL(import.meta.url)];

interface HelpCache {
  /** The commander version that formatted `text`. */
  commander: string | undefined;
  text: string;
}

/**
 * The version of the commander this module imports: the package.json of the first node_modules/commander
 * on the way up, as Node looks for a package (a third of the time of require.resolve here), or
 * undefined when there is none.
 */
export function commanderVersion(): string | undefined {
  for (let dir = dirname(fileURLToPath(import.meta.url)); ; dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'node_modules', 'commander', 'package.json'), 'utf8')) as { version?: unknown };
      return typeof pkg.version === 'string' ? pkg.version : undefined;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT' && (e as NodeJS.ErrnoException).code !== 'ENOTDIR') return undefined;
    }
    if (dirname(dir) === dir) return undefined;
  }
}

/**
 * The text `batchbench --help` prints at commander's default width, through the full program: the
 * program built with its output captured, parsed with `--help`.
 */
export async function renderHelp(): Promise<string> {
  const { CommanderError } = await import('commander');
  const { createProgram } = await import('./program.js');
  const lines: string[] = [];
  const errors: string[] = [];
  const io = { out: (line: string) => lines.push(line), err: (line: string) => errors.push(line), isTTY: false };
  const program = createProgram(io, { code: 0 }).configureOutput({ getOutHelpWidth: () => DEFAULT_HELP_WIDTH, getOutHasColors: () => false });
  try {
    await program.parseAsync(['--help'], { from: 'user' });
  } catch (e) {
    if (!(e instanceof CommanderError) || e.exitCode !== 0) throw e;
  }
  if (errors.length > 0) throw new Error(`batchbench --help wrote to stderr: ${errors.join('\n')}`);
  return lines.map((line) => `${line}\n`).join('');
}

/** Writes the help cache (run by the build after compiling). */
export async function writeHelpCache(file: URL = HELP_CACHE): Promise<void> {
  const cache: HelpCache = { commander: commanderVersion(), text: await renderHelp() };
  writeFileSync(file, `${JSON.stringify(cache)}\n`);
}

const mtime = (file: URL): number => statSync(file, { throwIfNoEntry: false })?.mtimeMs ?? Number.POSITIVE_INFINITY;

/** The cached help, or undefined when there is none or it may differ from what commander would print now. */
export function readHelpCache(file: URL = HELP_CACHE, sources: readonly URL[] = HELP_SOURCES): string | undefined {
  let cache: Partial<HelpCache>;
  try {
    cache = JSON.parse(readFileSync(file, 'utf8')) as Partial<HelpCache>;
  } catch {
    return undefined;
  }
  if (typeof cache.text !== 'string' || cache.commander === undefined || cache.commander !== commanderVersion()) return undefined;
  const written = mtime(file);
  return sources.every((source) => mtime(source) <= written) ? cache.text : undefined;
}
