import { describe, expect, it } from 'vitest';
import { errorReply, replyBody } from '../../testing/wire/wire-replies.js';
import { WireServer, type ReceivedRequest, type WireRoute } from '../../testing/wire/wire-server.js';
import { API_CASES, providerFor, useWireServer } from './apis.js';
import { batches, scenario, session, variant } from './helpers.js';

let server: WireServer;
useWireServer((s) => (server = s));

/** A compact picture of the history a request carries, with the ids that link calls to results. */
function historyShape(route: WireRoute, body: ReceivedRequest['body']): string {
  switch (route) {
    case 'chat':
      return body.messages
        .map((m: any) =>
          m.role === 'assistant' && m.tool_calls
            ? `assistant[${m.tool_calls.map((c: any) => c.id).join(',')}]`
            : m.role === 'tool'
              ? `tool(${m.tool_call_id})`
              : m.role,
        )
        .join(' ');
    case 'responses':
      return [
        `instructions`,
        ...body.input.map((i: any) => (i.type === 'function_call' ? `call[${i.call_id}]` : i.type === 'function_call_output' ? `output(${i.call_id})` : i.role)),
      ].join(' ');
    case 'messages':
      return body.messages
        .map((m: any) =>
          typeof m.content === 'string'
            ? m.role
            : `${m.role}[${m.content.map((b: any) => (b.type === 'tool_use' ? `use:${b.id}` : b.type === 'tool_result' ? `result:${b.tool_use_id}` : b.type)).join(',')}]`,
        )
        .join(' ');
  }
}

describe.each(API_CASES)('$name through the real SDK', (api) => {
  it('executes two tool calls of one response as one turn', async () => {
    server.script(
      api.route,
      { body: replyBody(api.route, { calls: [{ id: 'call_a1', name: 'get_order', args: { order_id: 42 } }, { id: 'call_a2', name: 'get_ticket', args: { ticket_id: 7 } }] }) },
      { body: replyBody(api.route, { calls: [{ id: 'call_b1', name: 'send_email', args: { to: 'ada@example.com', body: 'Ticket 7 is resolved.' } }] }) },
      { body: replyBody(api.route, { text: 'Ticket 7 is resolved and Ada knows.' }) },
    );
    const record = await session(providerFor(api, server), scenario('fan-in'));
    expect(record.status).toBe('completed');
    expect(batches(record)).toEqual([2, 1, 0]);
    expect(record.turns[0]?.calls.map((c) => [c.id, c.name, c.node, c.isError])).toEqual([
      ['call_a1', 'get_order', 'order', false],
      ['call_a2', 'get_ticket', 'ticket', false],
    ]);
    expect(record.turns.map((t) => t.finishReason)).toEqual(['tool-calls', 'tool-calls', 'stop']);
    expect(server.requestsTo(api.route)).toHaveLength(3);
    // Both results went back in the second request, under the ids the model gave.
    expect(historyShape(api.route, server.requests[1]?.body)).toBe(
      {
        chat: 'system user assistant[call_a1,call_a2] tool(call_a1) tool(call_a2)',
        responses: 'instructions user call[call_a1] call[call_a2] output(call_a1) output(call_a2)',
        messages: 'user assistant[use:call_a1,use:call_a2] user[result:call_a1,result:call_a2]',
      }[api.route],
    );
  });

  it('round-trips tool-call ids through a chained three-turn session', async () => {
    const seen: string[] = [];
    const step = (spec: Parameters<typeof replyBody>[1]) => (req: ReceivedRequest) => {
      seen.push(historyShape(api.route, req.body));
      return { body: replyBody(api.route, spec) };
    };
    server.script(
      api.route,
      step({ calls: [{ id: 'call_x1', name: 'get_commit', args: { sha: 'abc123' } }] }),
      step({ calls: [{ id: 'call_x2', name: 'get_user', args: { login: 'lin' } }] }),
      step({ calls: [{ id: 'call_x3', name: 'get_user', args: { login: 'sam' } }] }),
      step({ text: 'Sam leads lin; the team is payments.' }),
    );
    const record = await session(providerFor(api, server), scenario('chain'));
    expect(record.status).toBe('completed');
    expect(batches(record)).toEqual([1, 1, 1, 0]);
    const expected = {
      chat: [
        'system user',
        'system user assistant[call_x1] tool(call_x1)',
        'system user assistant[call_x1] tool(call_x1) assistant[call_x2] tool(call_x2)',
        'system user assistant[call_x1] tool(call_x1) assistant[call_x2] tool(call_x2) assistant[call_x3] tool(call_x3)',
      ],
      responses: [
        'instructions user',
        'instructions user call[call_x1] output(call_x1)',
        'instructions user call[call_x1] output(call_x1) call[call_x2] output(call_x2)',
        'instructions user call[call_x1] output(call_x1) call[call_x2] output(call_x2) call[call_x3] output(call_x3)',
      ],
      messages: [
        'user',
        'user assistant[use:call_x1] user[result:call_x1]',
        'user assistant[use:call_x1] user[result:call_x1] assistant[use:call_x2] user[result:call_x2]',
        'user assistant[use:call_x1] user[result:call_x1] assistant[use:call_x2] user[result:call_x2] assistant[use:call_x3] user[result:call_x3]',
      ],
    }[api.route];
    expect(seen).toEqual(expected);
    // The tool results carry the mocked content.
    const last = JSON.stringify(server.requests[3]?.body);
    expect(last).toContain('payments');
    expect(last).toContain('\\"manager\\":\\"sam\\"');
  });

  it('asks for one call at a time when the variant turns parallel calls off, and only then', async () => {
    const answer = { body: replyBody(api.route, { text: 'done' }) };
    server.script(api.route, answer, answer);
    await session(providerFor(api, server), scenario('fan-in'), variant(false));
    await session(providerFor(api, server), scenario('fan-in'), variant(true));
    const [off, on] = server.requests.map((r) => r.body);
    if (api.route === 'messages') {
      expect(off.tool_choice).toEqual({ type: 'auto', disable_parallel_tool_use: true });
      expect(on.tool_choice).toBeUndefined();
      // max_tokens is required by the Messages API: the default goes out when none is configured.
      expect(on.max_tokens).toBe(4096);
    } else {
      expect(off.parallel_tool_calls).toBe(false);
      expect(on.parallel_tool_calls).toBeUndefined();
    }
  });

  it('returns malformed arguments and an unknown tool to the model as tool errors', async () => {
    server.script(
      api.route,
      { body: replyBody(api.route, { calls: [{ id: 'call_m1', name: 'get_order', args: '{"order_id": 42' }, { id: 'call_m2', name: 'drop_tables', args: {} }] }) },
      { body: replyBody(api.route, { text: 'I could not do it.' }) },
    );
    const record = await session(providerFor(api, server), scenario('fan-in'));
    const calls = record.turns[0]?.calls ?? [];
    expect(calls.map((c) => [c.name, c.args, c.isError, c.errorKind])).toEqual([
      ['get_order', undefined, true, 'bad-arguments'],
      ['drop_tables', {}, true, 'unknown-tool'],
    ]);
    expect(calls[0]?.rawArgs).toBe(api.route === 'messages' ? '"{\\"order_id\\": 42"' : '{"order_id": 42');
    const second = JSON.stringify(server.requests[1]?.body);
    expect(second).toContain('are not a JSON object');
    expect(second).toContain('unknown tool');
    if (api.route === 'messages') expect(server.requests[1]?.body.messages[2].content.every((b: any) => b.is_error === true)).toBe(true);
  });

  it('records a response cut off by the token limit as finish reason length', async () => {
    server.script(api.route, { body: replyBody(api.route, { text: 'Ticket 7 is', truncated: true }) });
    const record = await session(providerFor(api, server, { maxTokens: 5 }), scenario('fan-in'));
    expect(record.turns[0]?.finishReason).toBe('length');
    const body = server.requests[0]?.body;
    const limit = { chat: body.max_tokens, responses: body.max_output_tokens, messages: body.max_tokens }[api.route];
    expect(limit).toBe(5);
  });

  it('stores a non-retryable API error in the session with its status', async () => {
    server.script(api.route, errorReply(api.route, 400, 'tools.0: bad schema'));
    const record = await session(providerFor(api, server), scenario('fan-in'));
    expect(record.status).toBe('errored');
    if (record.status !== 'errored') return;
    expect(record.error).toMatchObject({ class: 'ProviderHttpError', statusCode: 400 });
    expect(record.error.message).toContain('bad schema');
    expect(server.requests).toHaveLength(1);
  });
});
