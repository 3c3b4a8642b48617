import type { ToolDefinition } from '../../harness/providers/types.js';

/**
 * The gpt-4o tool example of OpenAI's cookbook ("How to count tokens with tiktoken", section 7),
 * for which the API reported 101 prompt tokens: the one real count the estimates are checked against.
 */
export const COOKBOOK_WEATHER_TOOL: ToolDefinition = {
  name: 'get_current_weather',
  description: 'Get the current weather in a given location',
  parameters: {
    type: 'object',
    properties: {
      location: { type: 'string', description: 'The city and state, e.g. San Francisco, CA' },
      unit: { type: 'string', description: 'The unit of temperature to return', enum: ['celsius', 'fahrenheit'] },
    },
    required: ['location'],
  },
};

export const COOKBOOK_REQUEST = {
  system: 'You are a helpful assistant that can answer to questions about the weather.',
  messages: [{ role: 'user', content: "What's the weather like in San Francisco?" } as const],
  tools: [COOKBOOK_WEATHER_TOOL],
};

/** Prompt tokens the API reported for COOKBOOK_REQUEST on gpt-4o. */
export const COOKBOOK_PROMPT_TOKENS = 101;
