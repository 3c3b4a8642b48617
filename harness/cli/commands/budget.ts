import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { displayPath } from '../../core/input-files.js';
import { REFERENCE_SENTENCE } from '../../reports/format.js';
import { md } from '../../reports/markdown-escape.js';
import { adviceTable, adviseBudgets, DEFAULT_BUDGET_RULE, describeRule, type BudgetRule } from '../../metrics/budget-advisor.js';
import { readRun } from '../../core/run-file/run-files.js';
import type { BudgetFlags } from '../flags.js';
import { EXIT, table, type CliIO } from '../io.js';
import { warnCutLine } from '../run-warnings.js';

export type BudgetCommandOptions = BudgetFlags;

export const BUDGET_FILE = 'budget.md';

const ruleFrom = (opts: BudgetCommandOptions): BudgetRule => ({ quantile: opts.quantile ?? DEFAULT_BUDGET_RULE.quantile, headroom: opts.headroom ?? DEFAULT_BUDGET_RULE.headroom });

/** Recommends `max_turns` per variant and scenario from a run's successful sessions; prints it and writes budget.md. */
export function budgetCommand(runDir: string, opts: BudgetCommandOptions, io: CliIO): number {
  const rule = ruleFrom(opts);
  const run = readRun(runDir);
  warnCutLine(run.cutLine, io);
  const advice = adviseBudgets(run.sessions, rule);
  const { header, rows } = adviceTable(advice, rule);
  const rule_ = `Rule: ${describeRule(rule)}`;
  const referenceNote = run.manifest.config.providers.some((p) => p.kind === 'reference') ? REFERENCE_SENTENCE : undefined;
  io.out(`Round-trip budgets for run ${run.manifest.runId} (${run.sessions.length} sessions)`);
  io.out(rule_);
  if (referenceNote) io.out(referenceNote);
  io.out('');
  for (const line of table(header, rows)) io.out(line);
  const markdown = [
    `# Round-trip budgets: run ${md(run.manifest.runId)}`,
    '',
    `${run.sessions.length} sessions. ${rule_}`,
    '',
    'Turns are model calls. Rows with scenario `(all)` pool every scenario of the variant.',
    '',
    ...(referenceNote ? [`> ${referenceNote}`, ''] : []),
    `| ${header.map(md).join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((r) => `| ${r.map(md).join(' | ')} |`),
    '',
  ].join('\n');
  const file = join(runDir, BUDGET_FILE);
  writeFileSync(file, markdown);
  io.out('');
  io.out(`wrote ${displayPath(file)}`);
  return EXIT.ok;
}
