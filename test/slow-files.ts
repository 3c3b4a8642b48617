/**
 * A reporter that names, at the end of `npm test`, the test files that took longer than a limit, so a
 * new slow file is noticed when it lands instead of when the suite has grown slow. It only warns: a
 * file's time depends on the machine's load, and a timing must not fail a test run.
 */
import { relative } from 'node:path';
import type { Reporter, TestModule, Vitest } from 'vitest/node';

/** A test file's time: importing it, then running its tests and hooks. */
export interface FileTime {
  file: string;
  ms: number;
}

/** The warning for the files over `limitMs`, slowest first; no lines when none is. */
export function slowFileLines(times: readonly FileTime[], limitMs: number): string[] {
  const slow = times.filter((t) => t.ms > limitMs).sort((a, b) => b.ms - a.ms || a.file.localeCompare(b.file));
  if (slow.length === 0) return [];
  return [
    `${slow.length} test file(s) took over ${limitMs / 1000} s; a file may take at most 30 s on 2 cores (README, Quick start): give it less work, not fewer checks`,
    ...slow.map((t) => `  ${t.file}  ${(t.ms / 1000).toFixed(1)} s`),
  ];
}

export class SlowFiles implements Reporter {
  private vitest: Vitest | undefined;

  constructor(private readonly limitMs: number) {}

  onInit(vitest: Vitest): void {
    this.vitest = vitest;
  }

  onTestRunEnd(modules: ReadonlyArray<TestModule>): void {
    const root = this.vitest?.config.root ?? process.cwd();
    const times = modules.map((m) => {
      const d = m.diagnostic();
      return { file: relative(root, m.moduleId), ms: d.collectDuration + d.duration };
    });
    for (const line of slowFileLines(times, this.limitMs)) this.vitest?.logger.warn(line);
  }
}
