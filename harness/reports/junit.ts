import { errorGateTitle } from './compare/compare-markdown.js';
import type { CompareResult } from '../metrics/compare-runs.js';
import { errorGateSentence } from '../metrics/error-gate.js';
import { gateSentence, gateTitle, groupKey } from './compare/format.js';

/** Escapes text for XML attributes and content, dropping characters XML 1.0 cannot hold. */
export function xmlEscape(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '')
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&apos;');
}

const attrs = (a: Record<string, string | number>): string =>
  Object.entries(a)
    .map(([k, v]) => ` ${k}="${xmlEscape(String(v))}"`)
    .join('');

/**
 * JUnit XML of a comparison, so CI systems list the gates natively: one
 * test suite per provider x variant group, one test case per gate. A failed
 * gate is a `<failure>` whose message carries the numbers; an untestable gate
 * is `<skipped>`; runs that cannot be compared are one `<error>`. Each suite's
 * first case is the error-rate gate (failure type `errors`).
 */
export function junitXml(result: CompareResult): string {
  const lines = ['<?xml version="1.0" encoding="UTF-8"?>'];
  if (!result.comparable) {
    const message = `runs cannot be compared: ${result.reasons.join('; ')}`;
    lines.push(`<testsuites${attrs({ name: 'batchbench compare', tests: 1, failures: 0, errors: 1, skipped: 0 })}>`);
    lines.push(`  <testsuite${attrs({ name: 'comparability', tests: 1, failures: 0, errors: 1, skipped: 0 })}>`);
    lines.push(`    <testcase${attrs({ classname: 'batchbench.compare', name: `${result.candidate.runId} is comparable with ${result.baseline.runId}` })}>`);
    lines.push(`      <error${attrs({ message, type: 'incomparable' })}>${xmlEscape([...result.reasons, ...result.notes].join('\n'))}</error>`);
    lines.push('    </testcase>', '  </testsuite>', '</testsuites>', '');
    return lines.join('\n');
  }
  const count = (status: string): number =>
    result.groups.reduce((n, g) => n + (g.errorGate.status === status ? 1 : 0) + g.gates.filter((r) => r.status === status).length, 0);
  const tests = result.groups.reduce((n, g) => n + 1 + g.gates.length, 0);
  lines.push(`<testsuites${attrs({ name: 'batchbench compare', tests, failures: count('fail'), errors: 0, skipped: count('skipped') })}>`);
  for (const g of result.groups) {
    const label = groupKey(g);
    const failures = (g.errorGate.status === 'fail' ? 1 : 0) + g.gates.filter((r) => r.status === 'fail').length;
    const skipped = g.gates.filter((r) => r.status === 'skipped').length;
    lines.push(`  <testsuite${attrs({ name: label, tests: 1 + g.gates.length, failures, errors: 0, skipped })}>`);
    lines.push(`    <properties>`);
    for (const [name, value] of [
      ['baseline', result.baseline.runId],
      ['candidate', result.candidate.runId],
      ['pairs', g.pairs],
      ['pairs_dropped', g.dropped],
      ['baseline_errored', g.baselineErrors.errored],
      ['baseline_skipped', g.baselineErrors.skipped],
      ['candidate_errored', g.candidateErrors.errored],
      ['candidate_skipped', g.candidateErrors.skipped],
      ['confidence', result.confidence],
    ] as const) {
      lines.push(`      <property${attrs({ name, value })}/>`);
    }
    lines.push(`    </properties>`);
    const e = g.errorGate;
    const errorCase = `    <testcase${attrs({ classname: `batchbench.compare.${label}`, name: errorGateTitle(e) })}`;
    const errorSentence = errorGateSentence(e);
    if (e.status === 'pass') lines.push(`${errorCase}>`, `      <system-out>${xmlEscape(errorSentence)}</system-out>`, '    </testcase>');
    else lines.push(`${errorCase}>`, `      <failure${attrs({ message: errorSentence, type: 'errors' })}>${xmlEscape(`${label}: ${errorSentence}`)}</failure>`, '    </testcase>');
    for (const r of g.gates) {
      const sentence = gateSentence(r, result.confidence);
      const tc = `    <testcase${attrs({ classname: `batchbench.compare.${label}`, name: gateTitle(r) })}`;
      if (r.status === 'pass') {
        lines.push(`${tc}>`, `      <system-out>${xmlEscape(sentence)}</system-out>`, '    </testcase>');
      } else if (r.status === 'skipped') {
        lines.push(`${tc}>`, `      <skipped${attrs({ message: sentence })}/>`, '    </testcase>');
      } else {
        lines.push(`${tc}>`, `      <failure${attrs({ message: sentence, type: 'regression' })}>${xmlEscape(`${label}: ${sentence}`)}</failure>`, '    </testcase>');
      }
    }
    lines.push('  </testsuite>');
  }
  lines.push('</testsuites>', '');
  return lines.join('\n');
}
