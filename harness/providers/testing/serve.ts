import { parseArgs } from 'node:util';
import { loadScenariosOrThrow } from '../../scenarios/load-scenarios.js';
import { parseReferencePolicy } from '../reference/reference-policy.js';
import { referenceResponder } from './reference-responder.js';
import { WireServer, type WireRoute } from './wire-server.js';

/**
 * Starts the wire server on 127.0.0.1, answering all three APIs like a
 * reference policy over the given scenarios, until interrupted:
 *
 *   npx tsx harness/providers/testing/serve.ts --scenarios scenarios --policy optimal --port 8787
 *   npx batchbench run --provider openai:local-wire --base-url http://127.0.0.1:8787/v1
 */
const { values } = parseArgs({
  options: {
    scenarios: { type: 'string', multiple: true, default: ['scenarios'] },
    policy: { type: 'string', default: 'optimal' },
    port: { type: 'string', default: '8787' },
    'latency-ms': { type: 'string', default: '0' },
  },
});

const policy = parseReferencePolicy(values.policy);
if (!policy) throw new Error(`unknown policy "${values.policy}"; use sequential, optimal or stochastic:<p>`);
const scenarios = loadScenariosOrThrow(values.scenarios);
const server = await WireServer.start(Number(values.port));
const delayMs = Number(values['latency-ms']);
for (const route of ['chat', 'responses', 'messages'] as WireRoute[]) server.fallback(route, referenceResponder(route, scenarios, { policy, delayMs }));
process.stdout.write(
  `wire server on ${server.url}, answering like ref:${values.policy} over ${scenarios.length} scenario(s)\n` +
    `  openai / openai-responses: --base-url ${server.openaiBaseUrl}\n` +
    `  anthropic:                 --base-url ${server.anthropicBaseUrl}\n`,
);
process.once('SIGINT', () => void server.close().then(() => process.exit(0)));
