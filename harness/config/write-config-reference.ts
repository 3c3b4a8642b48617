/**
 * Regenerates the config reference from the schema, in docs/config.md and in the
 * README between its config-reference markers: `npx tsx harness/config/write-config-reference.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { configDoc, withReadmeReference } from './config-doc.js';

const readme = new URL('../../README.md', import.meta.url);
writeFileSync(new URL('../../docs/config.md', import.meta.url), configDoc());
writeFileSync(readme, withReadmeReference(readFileSync(readme, 'utf8')));
