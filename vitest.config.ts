import { defineConfig } from 'vitest/config';
import { SlowFiles } from './test/slow-files.js';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share a worker's module cache instead of loading harness/ afresh per file: about half the
    // wall time on 2 cores. Files that change process-wide state (the provider registry, the environment,
    // the working directory) restore it when they end.
    isolate: false,
    // A test over 2 s is shown in yellow with its time; a file over 20 s is named at the end of the run
    // (the budget is 30 s a file and 3 minutes in all on 2 cores). Both only warn.
    slowTestThreshold: 2_000,
    reporters: ['default', new SlowFiles(20_000)],
  },
});
