/**
 * Regenerates the seed-claims table of docs/scenarios.md from a run of the
 * reference policies on the suite: `npx tsx harness/run/write-seed-claims.ts`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadVariants } from '../scenarios/load-variants.js';
import { loadScenariosOrThrow } from '../scenarios/load-scenarios.js';
import { measurePairs, seedClaims, seedClaimsMarkdown, withSeedClaims } from './seed-claims.js';

const root = (p: string): string => fileURLToPath(new URL(`../../${p}`, import.meta.url));
const baseline = loadVariants([root('prompts')]).variants.find((v) => v.id === 'baseline');
if (!baseline) throw new Error('prompts/baseline.md is missing');
const table = seedClaimsMarkdown(seedClaims(await measurePairs(loadScenariosOrThrow([root('scenarios')]), baseline)));
const doc = root('docs/scenarios.md');
writeFileSync(doc, withSeedClaims(readFileSync(doc, 'utf8'), table));
console.log(table);
