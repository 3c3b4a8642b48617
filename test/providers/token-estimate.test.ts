import { describe, expect, it } from 'vitest';
import { countO200k } from '../../harness/providers/o200k.js';
import { renderToolsNamespace } from '../../harness/providers/openai-chat-rendering.js';
import { estimateInputTokens, estimateOutputTokens, requestChars } from '../../harness/providers/token-estimate.js';
import type { AssistantPart, Message, ToolDefinition, ToolResultPart } from '../../harness/providers/types.js';
import { COOKBOOK_PROMPT_TOKENS, COOKBOOK_REQUEST } from './cookbook-example.js';

const getOrder: ToolDefinition = {
  name: 'get_order',
  description: 'Look up an order.',
  parameters: { type: 'object', properties: { id: { type: 'integer', description: 'Order id' }, status: { type: 'string', enum: ['open', 'closed'] } }, required: ['id'] },
};
const call = (id: string, order: number): AssistantPart => ({ type: 'tool-call', id, name: 'get_order', args: { id: order }, rawArgs: `{"id":${order}}` });
const result = (callId: string, content: string): ToolResultPart => ({ type: 'tool-result', callId, toolName: 'get_order', content, isError: false });
const user: Message = { role: 'user', content: 'Where are orders 7 and 8?' };
const assistant: Message = { role: 'assistant', parts: [call('c1', 7), call('c2', 8)] };
const results: Message = { role: 'tool', results: [result('c1', '{"status":"shipped"}'), result('c2', '{"status":"open"}')] };

describe('the token estimate counts the request as Chat Completions renders it', () => {
  it('renders the tool definitions as the namespace block and counts its tokens', () => {
    const block = renderToolsNamespace([getOrder]);
    expect(block).toBe(
      'namespace functions {\n\n// Look up an order.\ntype get_order = (_: {\n// Order id\nid: number,\nstatus?: "open" | "closed",\n}) => any;\n\n} // namespace functions',
    );
    // o200k_base: "namespace"," functions"," {\n\n//"," Look"," up"," an"," order",".\n","type"," get","_order"," ="," (_",":"," {\n//",
    // " Order"," id","\n","id",":"," number",",\n","status","?:"," \"","open","\""," |"," \"","closed","\",\n","})"," =>"," any",";\n\n","}"," //",
    // " namespace"," functions": 39 tokens.
    expect(countO200k(block)).toBe(39);
  });

  it('adds up a small request by hand: system, user, two calls, two results, tools, reply', () => {
    // system   3 framing + "system" 1 + "Be brief." 3                                   =  7
    // user     3 + "user" 1 + "Where are orders 7 and 8?" 9                              = 13
    // calls    3 + "assistant" 1 + "" 0 + 2 × (3 + "get_order" 2 + '{"id":7}' 5)          = 24
    // results  (3 + "tool" 1 + '{"status":"shipped"}' 6) + (3 + 1 + '{"status":"open"}' 5) = 19
    // tools    39 (the block above) + 9 − 4 (it shares the system message)              = 44
    // reply    3                                                                         =  3
    expect(estimateInputTokens({ system: 'Be brief.', messages: [user, assistant, results], tools: [getOrder] })).toBe(110);
    // Characters of what is counted: 9 + 25 + 2 × (9 + 8) + 20 + 17 + the block's 155.
    expect(renderToolsNamespace([getOrder]).length).toBe(155);
    expect(requestChars({ system: 'Be brief.', messages: [user, assistant, results], tools: [getOrder] })).toBe(260);
  });

  it('frames every message: 3 tokens + its role, each tool result a message of its own', () => {
    const empty = { system: '', messages: [], tools: [] };
    expect(estimateInputTokens(empty)).toBe(3); // the reply's priming; no system prompt, no system message
    expect(estimateInputTokens({ ...empty, system: 'Be brief.' })).toBe(3 + 7);
    expect(estimateInputTokens({ ...empty, messages: [user] })).toBe(3 + 13);
    const one: Message = { role: 'tool', results: [result('c1', '{"status":"shipped"}')] };
    expect(estimateInputTokens({ ...empty, messages: [one] })).toBe(3 + 10);
    expect(estimateInputTokens({ ...empty, messages: [results] })).toBe(3 + 10 + 9);
    // Without a system prompt the tool block keeps its 9 tokens; with one it shares it (− 4).
    expect(estimateInputTokens({ ...empty, tools: [getOrder] })).toBe(3 + 39 + 9);
    expect(estimateInputTokens({ ...empty, system: 'Be brief.', tools: [getOrder] })).toBe(3 + 7 + 39 + 5);
  });

  it('counts a reply as its text, and each call as 3 + name + arguments', () => {
    expect(estimateOutputTokens([{ type: 'text', text: 'Order 7 shipped; 8 is open.' }])).toBe(10);
    expect(estimateOutputTokens([call('c1', 7), call('c2', 8)])).toBe(20);
    expect(estimateOutputTokens([])).toBe(0);
  });

  it("gives the 101 prompt tokens OpenAI's API reported for the cookbook's gpt-4o tool example", () => {
    // openai-cookbook, How_to_count_tokens_with_tiktoken, section 7: 101 prompt tokens counted by the API for gpt-4o.
    const request = COOKBOOK_REQUEST;
    expect(estimateInputTokens(request)).toBe(COOKBOOK_PROMPT_TOKENS);
  });

  it('counts a message once however often the history is re-sent, with the same figure', () => {
    const tools = [getOrder];
    const first = estimateInputTokens({ system: 'Be brief.', messages: [user, assistant, results], tools });
    const again = estimateInputTokens({ system: 'Be brief.', messages: [user, assistant, results], tools });
    // A copy of each message (no cached entry) gives the same count.
    const copies = estimateInputTokens({ system: 'Be brief.', messages: [{ ...user }, { ...assistant }, { ...results }], tools: [{ ...getOrder }] });
    expect([first, again, copies]).toEqual([110, 110, 110]);
  });

  it('renders a tool list once per distinct list of definitions, whichever array holds them', () => {
    const getUser: ToolDefinition = { name: 'get_user', description: 'Look up a user.', parameters: { type: 'object', properties: { id: { type: 'integer' } }, required: ['id'] } };
    const request = (tools: ToolDefinition[]) => ({ system: 'Be brief.', messages: [user], tools });
    const figures = (tools: ToolDefinition[]): [number, number] => [estimateInputTokens(request(tools)), requestChars(request(tools))];
    const one = figures([getOrder]);
    const two = figures([getOrder, getUser]);
    // Each session builds a new array of the same definitions: the same figures as a fresh count.
    expect(figures([getOrder])).toEqual(one);
    expect(figures([getOrder, getUser])).toEqual(two);
    // A list that shares a first definition, or holds the same ones in another order, is a list of its own.
    expect(two[0]).toBe(one[0] + countO200k(renderToolsNamespace([getOrder, getUser])) - countO200k(renderToolsNamespace([getOrder])));
    expect(two[1]).toBe(one[1] + renderToolsNamespace([getOrder, getUser]).length - renderToolsNamespace([getOrder]).length);
    expect(figures([getUser, getOrder])).toEqual([
      one[0] + countO200k(renderToolsNamespace([getUser, getOrder])) - countO200k(renderToolsNamespace([getOrder])),
      one[1] + renderToolsNamespace([getUser, getOrder]).length - renderToolsNamespace([getOrder]).length,
    ]);
    // No tools: system 7 + user 13 + reply 3 tokens; 9 + 25 characters.
    expect(figures([])).toEqual([23, 34]);
  });

  it('adds only the new messages of a re-sent history, and sums afresh a history that differs from the last one', () => {
    const fresh = (messages: Message[]): [number, number] => {
      const copies = messages.map((m) => ({ ...m }));
      return [estimateInputTokens({ system: '', messages: copies, tools: [] }), requestChars({ system: '', messages: copies, tools: [] })];
    };
    const figures = (messages: Message[]): [number, number] => [estimateInputTokens({ system: '', messages, tools: [] }), requestChars({ system: '', messages, tools: [] })];
    const start: Message = { role: 'user', content: 'Where is order 9?' };
    const history: Message[] = [start];
    const seen: [number, number][] = [];
    for (const m of [assistant, results, assistant, results]) {
      seen.push(figures(history));
      history.push(m);
    }
    seen.push(figures(history));
    expect(seen).toEqual([[], [assistant], [assistant, results], [assistant, results, assistant], [assistant, results, assistant, results]].map((rest) => fresh([start, ...rest])));
    // The same first message with another continuation, a shorter history, and the caller's array changed in place.
    const other: Message = { role: 'user', content: 'Never mind.' };
    expect(figures([start, other])).toEqual(fresh([start, other]));
    expect(figures([start])).toEqual(fresh([start]));
    history[1] = other;
    expect(figures(history)).toEqual(fresh(history));
    // user 3 + 1 + 6 "Where is order 9?" = 10, + "Never mind." 3 + 1 + 3 = 7, + results 19, + calls 24, + results 19, + reply 3.
    expect(figures(history)[0]).toBe(3 + 10 + 7 + 19 + 24 + 19);
  });
});
