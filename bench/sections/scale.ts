import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Figure } from '../lib.js';

export interface ScaleResult {
  dir: string;
  sessions: number;
  runMs: number;
  peakRssMbDuringRun: number;
  peakRssMb: number;
  reportMs: number;
  htmlBytes: number;
  sessionsJsonlBytes: number;
}

/** A run of `sessions` reference-policy sessions in a child process: wall time, peak RSS, report time and size. */
export function scale(root: string, outDir: string, sessions: number): { figures: Figure[]; result: ScaleResult } {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'bench', 'scale-run.ts'), root, outDir, String(sessions)], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 16 * 1024 * 1024,
  });
  const result = JSON.parse(out.trim().split('\n').pop() ?? '{}') as ScaleResult;
  const label = `${result.sessions.toLocaleString('en-US')} sessions`;
  const figures: Figure[] = [
    { section: '4 scale', name: `${label}: run wall time`, value: result.runMs / 1000, unit: 's', target: { op: '<', limit: 60, label: '< 60 s' } },
    { section: '4 scale', name: `${label}: peak RSS during the run`, value: result.peakRssMbDuringRun, unit: 'MB', target: { op: '<', limit: 400, label: '< 400 MB' } },
    { section: '4 scale', name: `${label}: report generation`, value: result.reportMs / 1000, unit: 's', target: { op: '<', limit: 3, label: '< 3 s' } },
    { section: '4 scale', name: `${label}: report.html size`, value: result.htmlBytes / 1e6, unit: 'MB', target: { op: '<', limit: 3, label: '< 3 MB' }, note: result.htmlBytes === 0 ? 'no report.html written' : `sessions.jsonl ${(result.sessionsJsonlBytes / 1e6).toFixed(1)} MB` },
    { section: '4 scale', name: `${label}: peak RSS including reports`, value: result.peakRssMb, unit: 'MB' },
  ];
  return { figures, result };
}
