import { providerFactories } from '../../providers/registry.js';
import { table, type CliIO } from '../io.js';
import { loadInputs } from '../../run/load-inputs.js';
import type { InputFlags } from '../flags.js';
import { EXIT } from '../io.js';

/** Lists scenarios (with their optimal turns), prompt variants and provider kinds. */
export function listCommand(opts: InputFlags, io: CliIO): number {
  const { scenarios, variants } = loadInputs(opts);
  io.out(`Scenarios (${scenarios.length})`);
  for (const line of table(
    ['id', 'domain', 'shape', 'difficulty', 'calls', 'optimal turns'],
    scenarios.map((s) => [s.id, s.domain, s.shape, s.difficulty, String(s.expectedCalls.length), String(s.dag.optimalTurns)]),
  )) io.out(line);
  io.out('');
  io.out(`Prompt variants (${variants.length})`);
  for (const line of table(
    ['id', 'strategy', 'parallel calls', 'description'],
    variants.map((v) => [v.id, v.strategy, v.parallelToolCalls ? 'on' : 'off', v.description]),
  )) io.out(line);
  io.out('');
  io.out('Providers');
  io.out('  ref:sequential, ref:optimal, ref:stochastic:<p>   reference policies (no key; not model results)');
  for (const prefix of Object.keys(providerFactories).filter((p) => p !== 'ref')) io.out(`  ${prefix}:<model>`);
  return EXIT.ok;
}
