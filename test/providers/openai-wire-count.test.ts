import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { jsonParts } from '../../testing/wire/json-estimate.js';
import { formatTokenError, measureTokenError } from '../../testing/wire/measure-token-error.js';
import { cookbookToolTokens, totalOf, wireParts } from '../../testing/wire/openai-wire-count.js';
import { PROJECT } from '../helpers.js';
import { COOKBOOK_REQUEST, COOKBOOK_WEATHER_TOOL } from './cookbook-example.js';

const cookbookRequest = COOKBOOK_REQUEST;

describe('the reference counts the token estimate is measured against', () => {
  it("both published recipes give the 101 tokens OpenAI's API reported for the cookbook's gpt-4o example; the JSON rendering gave more", () => {
    const wire = wireParts(cookbookRequest);
    // system 3 + 1 + 14; user 3 + 1 + 8; the block 63 + 9 − 4; reply 3
    expect(wire).toEqual({ system: 18, messages: 12, toolResults: 0, tools: 68, reply: 3 });
    expect(totalOf(wire)).toBe(101);
    // The cookbook: 7 + "get_current_weather:Get the current weather in a given location" 11, properties 3,
    // location 3 + "location:string:The city and state, e.g. San Francisco, CA" 14,
    // unit 3 − 3 (enum) + (3 + "celsius" 2) + (3 + "fahrenheit" 2) + "unit:string:The unit of temperature to return" 8,
    // 12 at the end: 68, as the block.
    expect(cookbookToolTokens([COOKBOOK_WEATHER_TOOL])).toBe(68);
    // The JSON rendering: system 14 + 3; the user message as JSON 16 + 3; the tools as JSON 80; reply 3: 119, 18 too many.
    expect(jsonParts(cookbookRequest)).toEqual({ system: 17, messages: 19, toolResults: 0, tools: 80, reply: 3 });
  });

  it('on the fixture project: the estimate is the recipe on every part and request; the JSON rendering counted more', async () => {
    const r = await measureTokenError([join(PROJECT, 'scenarios')], [join(PROJECT, 'prompts')]);
    expect(r.requests).toBeGreaterThan(20);
    expect(r.replies).toBe(r.requests);
    expect(r.estimate).toEqual(r.wire);
    expect(r.output.estimate).toBe(r.output.wire);
    expect([r.mismatches, r.partMismatches]).toEqual([{ input: 0, output: 0 }, 0]);
    // Measured (the fixture's short messages make the JSON keys weigh more than on the suite, +22.8% there).
    expect(totalOf(r.json) / totalOf(r.wire) - 1).toBeCloseTo(0.6178, 3);
    expect(r.json.tools / r.wire.tools - 1).toBeCloseTo(0.3992, 3);
    const text = formatTokenError(r);
    expect(text).toContain('no real bill was available offline');
    expect(text).toContain('matches it by construction');
    expect(text).toMatch(/all input +\d+ +\d+ +\+61\.8% +\d+ +0\.0%/);
  });
});
