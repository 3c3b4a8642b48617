#!/usr/bin/env node
import { fastOutput, isBareValidate } from './fast-path.js';

// Output piped into a command that stops reading (e.g. `| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

// `--version` and `--help` print, and `validate` alone runs, without loading commander and the flag tables (fast-path.ts).
const argv = process.argv.slice(2);
const fast = fastOutput(argv, process.stdout.isTTY ? process.stdout.columns : undefined);
if (fast !== undefined) {
  process.stdout.write(fast);
} else {
  (await import('./heap-limits.js')).limitHeapGrowth();

  // First Ctrl-C (or SIGTERM): stop starting sessions, keep what is done, write reports, exit 130. Second: exit at once.
  const controller = new AbortController();
  let interrupts = 0;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write('\nstopping: no new sessions; running ones are recorded as interrupted for --resume (Ctrl-C again to quit at once)\n');
    controller.abort();
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);

  if (isBareValidate(argv)) {
    const { bareValidate } = await import('./bare-validate.js');
    process.exitCode = await bareValidate();
  } else {
    const { main } = await import('./program.js');
    process.exitCode = await main(argv, undefined, controller.signal);
  }
}
