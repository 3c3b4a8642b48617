/**
 * A trace import in a process of its own, so its peak memory is its own:
 *   tsx bench/trace-import-run.ts <trace-file> <out-dir>
 * Prints one JSON line: calls, sessions, wall time and peak RSS.
 */
import { importTraces } from '../harness/run/traces/import-traces.js';
import { makeRedactor } from '../harness/run/traces/redact.js';

const [file = '', out = ''] = process.argv.slice(2);
const started = performance.now();
const result = await importTraces({ files: [file], out, skipInvalid: false, redact: makeRedactor([]) });
const importMs = performance.now() - started;
if (result.issues.length > 0) throw new Error(result.issues.map((i) => `${i.file}: ${i.message}`).join('\n'));
process.stdout.write(`${JSON.stringify({ calls: result.calls, sessions: result.sessions, importMs, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
