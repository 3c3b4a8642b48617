import { isAnthropicLine, readAnthropicLine } from './anthropic.js';
import { isOpenAiChatLine, readOpenAiChatLine } from './openai-chat.js';
import { isOpenAiResponsesLine, readOpenAiResponsesLine } from './openai-responses.js';
import { isOtelLine } from './otel.js';
import type { TraceCall, TraceSource } from './trace-call.js';
import { TraceLineError } from './trace-line-error.js';

/** A line-per-call trace format. */
export interface TraceFormat {
  id: string;
  /** Whether a parsed line has this format's shape. */
  matches(line: unknown): boolean;
  read(line: unknown, source: TraceSource): TraceCall;
}

export const TRACE_FORMATS: readonly TraceFormat[] = [
  { id: 'openai-chat', matches: isOpenAiChatLine, read: readOpenAiChatLine },
  { id: 'openai-responses', matches: isOpenAiResponsesLine, read: readOpenAiResponsesLine },
  { id: 'anthropic', matches: isAnthropicLine, read: readAnthropicLine },
  // Spans are read per line (otelSpans) and turned into calls one conversation at a time, once its last span is in: see import-traces.ts.
  {
    id: 'otel',
    matches: isOtelLine,
    read: () => {
      throw new TraceLineError('', 'OTLP spans are read as a whole, not line by line');
    },
  },
];

export const FORMAT_IDS = TRACE_FORMATS.map((f) => f.id);

/** The formats whose shape the line has: detection succeeds when exactly one does. */
export function matchingFormats(line: unknown): TraceFormat[] {
  return TRACE_FORMATS.filter((f) => f.matches(line));
}
