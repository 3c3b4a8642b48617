#!/usr/bin/env node
// Entry point. In a clone the TypeScript sources run through tsx; an installed
// package runs the compiled JavaScript in dist/.
import { existsSync } from 'node:fs';

const source = new URL('../harness/cli/bin.ts', import.meta.url);
if (existsSync(source)) {
  const { register } = await import('tsx/esm/api');
  register();
  await import(source.href);
} else {
  await import(new URL('../dist/harness/cli/bin.js', import.meta.url).href);
}
