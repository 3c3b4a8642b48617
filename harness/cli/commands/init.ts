import { cpSync, existsSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { UsageError } from '../../core/errors.js';
import { PACKAGE_ROOT } from '../../core/version.js';
import { EXIT, type CliIO } from '../io.js';

/** The starter project copied by `batchbench init`, shipped with the package (from sources or dist/ alike). */
export const TEMPLATE_DIR = join(PACKAGE_ROOT, 'templates', 'init');

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = join(dir, name);
    return statSync(full).isDirectory() ? filesUnder(full) : [full];
  });
}

/** Scaffolds a config, an example scenario with fixtures, two prompt variants and a README snippet. */
export function initCommand(opts: { dir?: string; force?: boolean }, io: CliIO): number {
  const target = opts.dir ?? process.cwd();
  const files = filesUnder(TEMPLATE_DIR).map((f) => relative(TEMPLATE_DIR, f)).sort();
  const clashes = files.filter((f) => existsSync(join(target, f)));
  if (clashes.length > 0 && !opts.force) {
    throw new UsageError(`these files exist already, nothing was written (use --force to overwrite): ${clashes.join(', ')}`);
  }
  for (const f of files) cpSync(join(TEMPLATE_DIR, f), join(target, f));
  for (const f of files) io.out(`created ${f}`);
  io.out('');
  io.out('next: npx batchbench run   (reference policies, no API key needed)');
  return EXIT.ok;
}
