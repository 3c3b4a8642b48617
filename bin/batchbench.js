#!/usr/bin/env node
// Entry point. An installed package runs the compiled CLI's bundle, dist/harness/cli/bin.bundle.js (the
// build bundles the tsc output with esbuild: bin/fresh-build.js). In a clone, it runs when dist/ is built
// from the current sources (`npm run build` or `npm start`), else the TypeScript sources run through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const source = new URL('../harness/cli/bin.ts', import.meta.url);
const compiled = new URL('../dist/harness/cli/bin.bundle.js', import.meta.url);
if (existsSync(source) && !(await import('./fresh-build.js')).distIsFresh(fileURLToPath(new URL('..', import.meta.url)))) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(compiled.href);
}
