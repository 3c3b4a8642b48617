/** Writes the help cache beside the compiled CLI (help-cache.ts); the build runs it: `node dist/harness/cli/write-help-cache.js`. */
import { writeHelpCache } from './help-cache.js';

await writeHelpCache();
