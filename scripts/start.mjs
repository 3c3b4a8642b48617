// `npm start [-- flags]`: builds dist/ incrementally when a source changed since the last build,
// then runs `batchbench run` from the compiled CLI's bundle (no TypeScript compilation on the way).
import { fileURLToPath, pathToFileURL } from 'node:url';
import { join } from 'node:path';
import { buildIfStale, CLI_BUNDLE } from '../bin/fresh-build.js';

const root = fileURLToPath(new URL('..', import.meta.url));
if (!buildIfStale(root)) {
  process.stderr.write('the build reported errors; running the output it emitted\n');
}
process.argv.splice(2, 0, 'run');
await import(pathToFileURL(join(root, CLI_BUNDLE)).href);
