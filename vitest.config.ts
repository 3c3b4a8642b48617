import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Test files share a worker's module cache instead of loading harness/ afresh per file: about half the
    // wall time on 2 cores. Files that change process-wide state (the provider registry, the environment,
    // the working directory) restore it when they end.
    isolate: false,
  },
});
