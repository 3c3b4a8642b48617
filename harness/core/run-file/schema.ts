import { z } from 'zod';

/**
 * Boundary checks for run files written by another batchbench (or edited by
 * hand): the fields every report relies on. Extra and optional fields pass
 * through, so newer optional data does not break older readers.
 */
const providerRef = z.looseObject({ id: z.string(), kind: z.enum(['reference', 'model', 'scripted']) });

export const manifestSchema = z.looseObject({
  formatVersion: z.literal(1),
  runId: z.string(),
  config: z.looseObject({
    providers: z.array(providerRef),
    variants: z.array(z.string()),
    scenarios: z.array(z.string()),
    repeats: z.number().int(),
    seed: z.number().int(),
  }),
  scenarios: z.array(z.looseObject({ id: z.string(), hash: z.string(), optimalTurns: z.number().int(), dag: z.array(z.looseObject({ id: z.string(), needs: z.array(z.string()) })) })),
  variants: z.array(z.looseObject({ id: z.string(), strategy: z.string() })),
  startedAt: z.string(),
  state: z.enum(['running', 'finished', 'interrupted']),
});

const turn = z.looseObject({
  index: z.number().int(),
  calls: z.array(z.looseObject({ name: z.string(), node: z.string().nullable(), isError: z.boolean() })),
  usage: z.looseObject({ inputTokens: z.number(), outputTokens: z.number(), cachedInputTokens: z.number(), estimated: z.boolean() }),
});

export const sessionLineSchema = z.looseObject({
  formatVersion: z.literal(1),
  key: z.string(),
  provider: providerRef,
  variantId: z.string(),
  scenarioId: z.string(),
  repeat: z.number().int(),
  status: z.enum(['completed', 'failed', 'budget-exceeded', 'errored', 'skipped']),
  optimalTurns: z.number().int(),
  turns: z.array(turn),
}).superRefine((s, ctx) => {
  // A skipped session never ran: it says why; an errored one carries its error.
  if (s.status === 'skipped' && typeof s['reason'] !== 'string') ctx.addIssue({ code: 'custom', path: ['reason'], message: 'a skipped session needs its reason (a string)' });
  const error = s['error'] as { class?: unknown; message?: unknown } | undefined;
  if (s.status === 'errored' && (typeof error?.class !== 'string' || typeof error.message !== 'string')) {
    ctx.addIssue({ code: 'custom', path: ['error'], message: 'an errored session needs its error (class and message)' });
  }
});
