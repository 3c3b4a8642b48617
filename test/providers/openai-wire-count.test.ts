import { describe, expect, it } from 'vitest';
import { renderToolsNamespace, wireInputTokens } from '../../testing/wire/openai-wire-count.js';
import { estimateInputTokens } from '../../harness/providers/token-estimate.js';
import { measureTokenError } from '../../testing/wire/measure-token-error.js';
import { PROJECT } from '../helpers.js';
import { join } from 'node:path';

describe('the OpenAI wire rendering used to measure the token estimator', () => {
  it('renders tool definitions as a namespace of typed functions', () => {
    const text = renderToolsNamespace([
      {
        name: 'get_order',
        description: 'Look up an order.',
        parameters: { type: 'object', properties: { id: { type: 'integer', description: 'Order id' }, status: { type: 'string', enum: ['open', 'closed'] } }, required: ['id'] },
      },
    ]);
    expect(text).toBe(
      'namespace functions {\n\n// Look up an order.\ntype get_order = (_: {\n// Order id\nid: number,\nstatus?: "open" | "closed",\n}) => any;\n\n} // namespace functions',
    );
  });

  it('counts each tool result as its own message: two results cost two framings', () => {
    const base = { system: '', tools: [], messages: [] };
    const one = wireInputTokens({ ...base, messages: [{ role: 'tool', results: [{ type: 'tool-result', callId: 'a', toolName: 't', content: 'x', isError: false }] }] });
    const two = wireInputTokens({
      ...base,
      messages: [{ role: 'tool', results: [{ type: 'tool-result', callId: 'a', toolName: 't', content: 'x', isError: false }, { type: 'tool-result', callId: 'b', toolName: 't', content: 'x', isError: false }] }],
    });
    // 3 framing + "tool" (1) + "x" (1) per result.
    expect(two - one).toBe(5);
    expect(estimateInputTokens(base)).toBe(6);
  });

  it('on the fixture project the JSON-rendering estimator counts more than the wire rendering', async () => {
    const r = await measureTokenError([join(PROJECT, 'scenarios')], [join(PROJECT, 'prompts')]);
    expect(r.requests).toBeGreaterThan(20);
    // Measured: the fixture's short messages make the per-message JSON keys weigh more than on the suite (+22.8% there).
    expect(r.error).toBeCloseTo(0.6178, 3);
    expect(r.toolsError).toBeCloseTo(0.3992, 3);
  });
});
