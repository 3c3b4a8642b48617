/** Regenerates docs/config.md from the config schema: `npx tsx harness/config/write-config-reference.ts`. */
import { writeFileSync } from 'node:fs';
import { configDoc } from './config-doc.js';

writeFileSync(new URL('../../docs/config.md', import.meta.url), configDoc());
