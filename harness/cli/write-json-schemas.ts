/** Regenerates schemas/*.schema.json from the zod schemas: `npx tsx harness/cli/write-json-schemas.ts`. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { SCHEMA_DIR, SCHEMA_NAMES, schemaFile, schemaText } from './json-schemas.js';

const dir = new URL(`../../${SCHEMA_DIR}/`, import.meta.url);
mkdirSync(dir, { recursive: true });
for (const name of SCHEMA_NAMES) writeFileSync(new URL(schemaFile(name), dir), schemaText(name));
