import { describe, expect, it } from 'vitest';
import { parseCallString, parsePlan, parseRef, renderPlan } from '../../harness/core/plan-format.js';

describe('parsePlan', () => {
  it('reads a plan in a fenced block with prose around it and the comments of the prompt example', () => {
    const text = [
      'I will first fetch the trip, then weather and hotel together, then the total.',
      '```json',
      '{',
      '  "parallel_groups": [',
      '    ["get_trip(trip_id=\\"T-1\\")"],  // nothing to wait for',
      '    ["weather(city=Lyon)", "hotel(city=\'Lyon\')"],',
      '    [{"tool": "total_cost", "args": {"per_night": "$3.per_night", "nights": 2}}],',
      '  ]',
      '}',
      '```',
      'Then I will answer.',
    ].join('\n');
    const parsed = parsePlan(text);
    expect(parsed).toEqual({
      ok: true,
      plan: {
        groups: [
          [{ tool: 'get_trip', args: { trip_id: 'T-1' } }],
          [
            { tool: 'weather', args: { city: 'Lyon' } },
            { tool: 'hotel', args: { city: 'Lyon' } },
          ],
          [{ tool: 'total_cost', args: { per_night: '$3.per_night', nights: 2 } }],
        ],
      },
    });
  });

  it('reads a bare JSON object inside prose, and round-trips what renderPlan writes', () => {
    const plan = { groups: [[{ tool: 'a', args: { x: 1 } }, { tool: 'b', args: {} }], [{ tool: 'c', args: { y: [1, 2] } }]] };
    expect(parsePlan(`Plan: ${renderPlan(plan)} - done.`)).toEqual({ ok: true, plan });
  });

  it('parses call strings: JSON values, quotes, bare words, Python literals, nested lists, positional names', () => {
    expect(parseCallString('search(query="a, b", limit=5, exact=True, tags=[1, "x"], note=None, mode: fast)')).toEqual({
      tool: 'search',
      args: { query: 'a, b', limit: 5, exact: true, tags: [1, 'x'], note: null, mode: 'fast' },
    });
    expect(parseCallString('git_status()')).toEqual({ tool: 'git_status', args: {} });
    expect(parseCallString('git_status')).toEqual({ tool: 'git_status', args: {} });
    expect(parseCallString('read_file("src/a.ts")', new Map([['read_file', ['path']]]))).toEqual({ tool: 'read_file', args: { path: 'src/a.ts' } });
    expect(parseCallString('read_file("src/a.ts")')).toEqual({ error: 'positional argument 1 of read_file has no parameter name; write name=value' });
  });

  it('references: $n and $n.path', () => {
    expect(parseRef('$2.customer_id')).toEqual({ index: 2, path: 'customer_id' });
    expect(parseRef('$1')).toEqual({ index: 1, path: undefined });
    expect(parseRef('$x')).toBeUndefined();
    expect(parseRef(3)).toBeUndefined();
  });

  it('a plan that does not parse is an error, not a crash', () => {
    expect(parsePlan('I will call the tools one by one.')).toEqual({ ok: false, error: 'no JSON object with "parallel_groups" found' });
    expect(parsePlan('{"steps": ["a()"]}')).toEqual({ ok: false, error: 'a JSON object was found but it has no "parallel_groups"' });
    expect(parsePlan('{"parallel_groups": "a(), b()"}')).toEqual({ ok: false, error: '"parallel_groups" is not a list' });
    expect(parsePlan('{"parallel_groups": [["a()"], "b()"]}')).toEqual({ ok: false, error: 'group 2 is not a list of calls' });
    expect(parsePlan('{"parallel_groups": [["a()", "%%%"]]}')).toEqual({ ok: false, error: 'group 1, call 2: cannot read the call "%%%"; write tool_name(arg=value, ...)' });
    expect(parsePlan('{"parallel_groups": [[{"args": {}}]]}')).toEqual({ ok: false, error: 'group 1, call 1: the call has no "tool" name' });
    expect(parsePlan('{"parallel_groups": [[], []]}')).toEqual({ ok: false, error: 'the plan has no calls' });
    expect(parsePlan('```json\n{"parallel_groups": [["a(x=1)"\n```')).toEqual({ ok: false, error: 'no JSON object with "parallel_groups" found' });
  });
});
