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

  // First Ctrl-C (or SIGTERM): `run` stops starting sessions, keeps what is done, writes reports and exits 130;
  // `import traces` stops reading and writes nothing (exit 130); other commands finish. Second: exit at once.
  const controller = new AbortController();
  let interrupts = 0;
  const command = argv.find((a) => !a.startsWith('-'));
  const stopping =
    command === 'run'
      ? 'stopping: no new sessions; running ones are recorded as interrupted for --resume'
      : command === 'import' && argv.includes('traces')
        ? 'stopping the import: nothing is written'
        : `${command ?? 'batchbench'} does not stop part-way: it finishes what it is doing`;
  const onSignal = (): void => {
    interrupts += 1;
    if (interrupts > 1) process.exit(130);
    process.stderr.write(`\n${stopping} (Ctrl-C again to quit at once)\n`);
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
