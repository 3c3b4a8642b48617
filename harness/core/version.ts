import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's own package.json: the nearest one above this module (sources or dist/). */
function packageJson(): { name: string; version: string; root: string } {
  const start = dirname(fileURLToPath(import.meta.url));
  let dir = start;
  for (;;) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'batchbench' && pkg.version !== undefined) return { name: pkg.name, version: pkg.version, root: dir };
    }
    const parent = dirname(dir);
    if (parent === dir) return { name: 'batchbench', version: '0.0.0', root: start };
    dir = parent;
  }
}

const pkg = packageJson();
export const VERSION: string = pkg.version;
/** The package's directory (where its package.json, schemas/ and templates/ are). */
export const PACKAGE_ROOT: string = pkg.root;
