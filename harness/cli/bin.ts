#!/usr/bin/env node
import { main } from './program.js';

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

// Output piped into a command that stops reading (e.g. `| head`) is not an error.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (e: NodeJS.ErrnoException) => {
    if (e.code === 'EPIPE') process.exit(process.exitCode ?? 0);
    throw e;
  });
}

process.exitCode = await main(process.argv.slice(2), undefined, controller.signal);
