// Preloaded into a measured child (`node --import ./bench/rss-on-exit.mjs ...`): writes the process's
// peak RSS (KiB) and CPU time (µs, user + system) as JSON to $BB_BENCH_USAGE when it exits.
// On Linux the peak is VmHWM of /proc/self/status: getrusage's maxRSS of a spawned child also counts
// the parent's RSS at fork time, which would report a small command as large as the bench process.
import { readFileSync, writeFileSync } from 'node:fs';

function peakRssKb() {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch {
    // not Linux
  }
  return process.resourceUsage().maxRSS;
}

const file = process.env.BB_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: peakRssKb(), cpuUs: u.userCPUTime + u.systemCPUTime }));
  });
}
