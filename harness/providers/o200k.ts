import { createRequire } from 'node:module';

type CountTokens = (text: string) => number;

const require = createRequire(import.meta.url);
let countTokens: CountTokens | undefined;

/**
 * Tokens of `text` under o200k_base (the GPT-4o family's BPE). The tokenizer and its rank table
 * (about 0.3 s to load) are loaded on the first call, so commands and runs that never count never load them.
 */
export function countO200k(text: string): number {
  countTokens ??= (require('gpt-tokenizer/encoding/o200k_base') as { countTokens: CountTokens }).countTokens;
  return countTokens(text);
}
