import { parseArgs } from 'node:util';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import { parseReferencePolicy } from '../../harness/providers/reference/reference-policy.js';
import { referenceResponder } from './reference-responder.js';
import { applyFaultRule, describeFaultRule, parseFaultRule, WIRE_FAULT_HELP, WIRE_FAULTS, type FaultRule } from './wire-faults.js';
import { WireServer, type WireRoute } from './wire-server.js';

/**
 * Starts the wire server on 127.0.0.1, answering all three APIs like a
 * reference policy over the given scenarios, until interrupted:
 *
 *   npx tsx testing/wire/serve.ts --scenarios scenarios --policy optimal --port 8787
 *   npx batchbench run --provider openai:local-wire --base-url http://127.0.0.1:8787/v1
 *
 * Flags:
 *   --scenarios <dir>    scenario directories (repeatable; default: scenarios)
 *   --policy <p>         sequential | optimal | stochastic:<p> (default: optimal)
 *   --port <n>           default 8787
 *   --latency-ms <ms>    simulated model latency per reply (default 0)
 *   --fault <rule>       inject a fault (repeatable; rules are tried in order, the first that fires answers)
 *
 * Fault rules (requests are counted across all three routes):
 *   <fault>              every request
 *   <fault>:<n>          the first n requests, then normal service
 *   <fault>/<k>          every k-th request (k-th, 2k-th, ...)
 *   storm:<ms>           every request answers 500 for <ms> ms from the first request, then normal service
 *
 * Faults:
 *   reset                connection reset before the headers
 *   reset-mid-body       headers sent, then the connection reset half-way through the body
 *   truncated            a 200 whose JSON body ends half-way (the response ends cleanly)
 *   malformed            a 200 with a malformed JSON body
 *   html                 a proxy's 502 Bad Gateway HTML page
 *   html-200             a 200 with an HTML page instead of JSON
 *   500                  a 500 in the API's error format
 *   401, 403             the vendor's body for a refused key / a key without permission
 *   model-not-found      the vendor's body for an unknown model (chat 404, responses 400, anthropic 404)
 *   hang                 never answers: the client's --timeout fires
 *   stall-mid-body       headers and half the body, then nothing: the client's --timeout fires
 *
 * e.g. a 10-second outage, then a key refused on every request, then every third reply cut mid-body:
 *   npx tsx testing/wire/serve.ts --fault storm:10000
 *   npx tsx testing/wire/serve.ts --fault 401
 *   npx tsx testing/wire/serve.ts --fault reset-mid-body/3
 */
const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', multiple: true, default: ['scenarios'] },
    policy: { type: 'string', default: 'optimal' },
    port: { type: 'string', default: '8787' },
    'latency-ms': { type: 'string', default: '0' },
    fault: { type: 'string', multiple: true, default: [] },
    help: { type: 'boolean', default: false },
  },
});

if (values.help) {
  process.stdout.write(
    'serve.ts [--scenarios dir] [--policy p] [--port n] [--latency-ms ms] [--fault rule ...]\n' +
      'fault rules: <fault>, <fault>:<first n>, <fault>/<every k-th>, storm:<ms>\n' +
      WIRE_FAULTS.map((f) => `  ${f.padEnd(16)} ${WIRE_FAULT_HELP[f]}\n`).join(''),
  );
  process.exit(0);
}

let rules: FaultRule[];
try {
  rules = values.fault.map(parseFaultRule);
} catch (e) {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exit(2);
}
const policy = parseReferencePolicy(values.policy);
if (!policy) throw new Error(`unknown policy "${values.policy}"; use sequential, optimal or stochastic:<p>`);
const scenarios = loadScenariosOrThrow(values.scenarios);
const server = await WireServer.start(Number(values.port));
const delayMs = Number(values['latency-ms']);
for (const route of ['chat', 'responses', 'messages'] as WireRoute[]) server.fallback(route, referenceResponder(route, scenarios, { policy, delayMs }));
for (const rule of rules) applyFaultRule(server, rule);
process.stdout.write(
  `wire server on ${server.url}, answering like ref:${values.policy} over ${scenarios.length} scenario(s)\n` +
    `  openai / openai-responses: --base-url ${server.openaiBaseUrl}\n` +
    `  anthropic:                 --base-url ${server.anthropicBaseUrl}\n` +
    rules.map((r) => `  fault: ${describeFaultRule(r)}\n`).join(''),
);
process.once('SIGINT', () => {
  const per = (['chat', 'responses', 'messages'] as WireRoute[]).map((r) => `${r} ${server.requestsTo(r).length}`).join(', ');
  process.stdout.write(`\n${server.requests.length} request(s) received (${per})\n`);
  void server.close().then(() => process.exit(0));
});
