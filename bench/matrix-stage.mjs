// One stage of the 900-session matrix (6 variants x 30 scenarios x 5 repeats, ref:stochastic:0.5) through the
// compiled API, for "distance to the limit":
//   node bench/matrix-stage.mjs <root> <out> <reports: on|off> <tokenizer: on|off>
// tokenizer off: the reference policy reports fixed usage, as a real provider does, so nothing is tokenized.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

const [root = '.', out = '/tmp', reports = 'on', tokenizer = 'on'] = process.argv.slice(2);
const api = await import(pathToFileURL(join(root, 'dist', 'harness', 'index.js')).href);
api.providerFactories['usage'] = (rest, options) => {
  const inner = api.createProvider(rest, options);
  return {
    id: inner.id,
    kind: inner.kind,
    forScenario: (scenario) => {
      const p = inner.forScenario(scenario);
      return { ...p, id: p.id, kind: p.kind, generate: async (request, signal) => ({ ...(await p.generate(request, signal)), usage: { inputTokens: 1000, outputTokens: 50 } }) };
    },
  };
};
await api.runSuite({
  providers: [tokenizer === 'on' ? 'ref:stochastic:0.5' : 'usage:ref:stochastic:0.5'],
  scenarios: [join(root, 'scenarios')],
  prompts: [join(root, 'prompts')],
  repeats: 5,
  out,
  reports: reports === 'on',
});
