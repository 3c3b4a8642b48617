// Preloaded into a measured child (`node --import ./bench/rss-on-exit.mjs ...`): writes the process's
// peak RSS (KiB) and CPU time (µs, user + system) as JSON to $BB_BENCH_USAGE when it exits.
import { writeFileSync } from 'node:fs';

const file = process.env.BB_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ maxRssKb: u.maxRSS, cpuUs: u.userCPUTime + u.systemCPUTime }));
  });
}
