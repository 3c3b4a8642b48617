import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { countTokens } from 'gpt-tokenizer/encoding/o200k_base';
import gptTokenizerRanks from 'gpt-tokenizer/bpeRanks/o200k_base';
import { describe, expect, it } from 'vitest';
import { main } from '../../harness/cli/program.js';
import { countO200k, isUtf8 } from '../../harness/providers/o200k.js';
import { loadVocabulary, o200kRanksFile, parseTiktoken, readCompiledVocabulary, writeCompiledVocabulary, type Vocabulary } from '../../harness/providers/o200k-vocabulary.js';
import { tokenCountCache } from '../../harness/providers/token-estimate.js';
import { captureIO } from '../helpers.js';

/** gpt-tokenizer's count, or its error message. */
const reference = (text: string): number | string => {
  try {
    return countTokens(text);
  } catch (e) {
    return (e as Error).message;
  }
};
const ours = (text: string): number | string => {
  try {
    return countO200k(text);
  } catch (e) {
    return (e as Error).message;
  }
};
const mismatches = (texts: Iterable<string>): { text: string; reference: number | string; ours: number | string }[] =>
  [...texts].flatMap((text) => (reference(text) === ours(text) ? [] : [{ text, reference: reference(text), ours: ours(text) }]));

const vocabulary = loadVocabulary();
const tokenBytes = (rank: number): Uint8Array => vocabulary.bytes.subarray(vocabulary.offsets[rank], vocabulary.offsets[rank + 1]);

describe('o200k_base vocabulary', () => {
  it('holds the same 199,998 tokens, rank for rank, as gpt-tokenizer', () => {
    expect(vocabulary.offsets.length - 1).toBe(199_998);
    expect(gptTokenizerRanks.length).toBe(199_998);
    const encoder = new TextEncoder();
    const differ = gptTokenizerRanks.flatMap((entry, rank) => {
      const theirs = typeof entry === 'string' ? encoder.encode(entry) : Uint8Array.from(entry);
      return Buffer.compare(Buffer.from(theirs), Buffer.from(tokenBytes(rank))) === 0 ? [] : [rank];
    });
    expect(differ).toEqual([]);
  });

  it('knows which tokens gpt-tokenizer keeps as text: the well-formed UTF-8 ones that do not start with a BOM', () => {
    const asText = (rank: number): boolean => {
      const b = tokenBytes(rank);
      return isUtf8(b, 0, b.length) && !(b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf);
    };
    expect(gptTokenizerRanks.flatMap((entry, rank) => ((typeof entry === 'string') === asText(rank) ? [] : [rank]))).toEqual([]);
    expect(gptTokenizerRanks.filter((entry) => typeof entry !== 'string').length).toBe(1571);
  });

  it('counts every token that is text as gpt-tokenizer does', () => {
    const decoder = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
    const texts: string[] = [];
    for (let rank = 0; rank < vocabulary.offsets.length - 1; rank += 1) {
      try {
        texts.push(decoder.decode(tokenBytes(rank)));
      } catch {
        // bytes that are no text: only reachable inside a longer text
      }
    }
    expect(texts.length).toBeGreaterThan(198_000);
    expect(mismatches(texts)).toEqual([]);
  });

  it('refuses a malformed ranks file, naming the file and the line', () => {
    const file = (text: string): [Uint8Array, string] => [Buffer.from(text), 'ranks.tiktoken'];
    expect(parseTiktoken(...file('IQ== 0\nIg== 1\n')).offsets).toEqual(Uint32Array.from([0, 1, 2]));
    expect(() => parseTiktoken(...file('IQ== 0\nIg== 2\n'))).toThrow('ranks.tiktoken: line 2: expected rank 1');
    expect(() => parseTiktoken(...file('IQ== 0\nI*== 1\n'))).toThrow('ranks.tiktoken: line 2: not base64');
    expect(() => parseTiktoken(...file('IQ==\n'))).toThrow('ranks.tiktoken: line 1: expected "<base64> <rank>"');
    const dir = mkdtempSync(join(tmpdir(), 'bb-o200k-'));
    writeFileSync(join(dir, 'x.tiktoken'), 'IQ== 0\nIg== x\n');
    expect(() => loadVocabulary(join(dir, 'x.tiktoken'))).toThrow(`${join(dir, 'x.tiktoken')}: line 2: rank is not a number`);
  });
});

describe('the compiled o200k vocabulary (written by the build)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'bb-o200k-compiled-'));
  const file = join(dir, 'o200k_base.bin');
  writeCompiledVocabulary(file);
  const bytesOf = (a: Uint8Array | Uint32Array | Int32Array): Buffer => Buffer.from(a.buffer, a.byteOffset, a.byteLength);
  const same = (a: Vocabulary, b: Vocabulary): boolean =>
    bytesOf(a.bytes).equals(bytesOf(b.bytes)) && bytesOf(a.offsets).equals(bytesOf(b.offsets)) && bytesOf(a.index).equals(bytesOf(b.index));
  /** The compiled file with its header rewritten by `edit` (same length, so the data stays aligned). */
  const withHeader = (name: string, edit: (header: string) => string): string => {
    const buf = readFileSync(file);
    const newline = buf.indexOf(10);
    const header = edit(buf.toString('utf8', 0, newline)).padEnd(newline, ' ');
    const out = join(dir, name);
    writeFileSync(out, Buffer.concat([Buffer.from(header), buf.subarray(newline)]));
    return out;
  };

  it('reads back as the very vocabulary the ranks file gives: token bytes, offsets and hash index', () => {
    const compiled = readCompiledVocabulary(file);
    expect(compiled).toBeDefined();
    expect(same(compiled as Vocabulary, vocabulary)).toBe(true);
    expect(JSON.parse(readFileSync(file, 'utf8').split('\n')[0] as string)).toMatchObject({ format: 1, source: expect.stringMatching(/^gpt-tokenizer@\d+\.\d+\.\d+\/o200k_base\.tiktoken$/), tokens: 199_998 });
  });

  it('the build wrote one for the installed ranks file', () => {
    const built = readCompiledVocabulary();
    expect(built, 'dist/harness/providers/o200k_base.bin is missing or stale: npm run build').toBeDefined();
    expect(same(built as Vocabulary, vocabulary)).toBe(true);
  });

  it('is not used when it came from another ranks file, is cut short, malformed or missing', () => {
    expect(readCompiledVocabulary(withHeader('other-version.bin', (h) => h.replace(/gpt-tokenizer@[^/]+/, 'gpt-tokenizer@0.0.1')))).toBeUndefined();
    expect(readCompiledVocabulary(withHeader('other-size.bin', (h) => h.replace(/"sourceBytes":\d/, '"sourceBytes":9')))).toBeUndefined();
    expect(readCompiledVocabulary(withHeader('other-format.bin', (h) => h.replace('"format":1', '"format":2')))).toBeUndefined();
    expect(readCompiledVocabulary(withHeader('not-json.bin', (h) => h.replace('{', '[')))).toBeUndefined();
    const buf = readFileSync(file);
    const cut = join(dir, 'cut.bin');
    writeFileSync(cut, buf.subarray(0, buf.length - 1));
    expect(readCompiledVocabulary(cut)).toBeUndefined();
    const full = join(dir, 'full.bin');
    const noEmpty = Buffer.from(buf);
    const header = noEmpty.indexOf(10) + 1;
    const { tokens, slots } = JSON.parse(buf.toString('utf8', 0, header - 1)) as { tokens: number; slots: number };
    noEmpty.fill(0, header + (tokens + 1) * 4, header + (tokens + 1) * 4 + slots * 4);
    writeFileSync(full, noEmpty);
    expect(readCompiledVocabulary(full), 'an index without an empty slot would never end a failed lookup').toBeUndefined();
    writeFileSync(join(dir, 'garbage.bin'), 'not a vocabulary');
    expect(readCompiledVocabulary(join(dir, 'garbage.bin'))).toBeUndefined();
    expect(readCompiledVocabulary(join(dir, 'missing.bin'))).toBeUndefined();
  });

  it('is tied to the ranks file beside a package.json: a copy elsewhere, of another size, does not match', () => {
    const pkg = join(dir, 'pkg');
    mkdirSync(join(pkg, 'data'), { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'gpt-tokenizer', version: JSON.parse(readFileSync(join(o200kRanksFile(), '..', '..', 'package.json'), 'utf8')).version }));
    const ranks = join(pkg, 'data', 'o200k_base.tiktoken');
    copyFileSync(o200kRanksFile(), ranks);
    expect(readCompiledVocabulary(file, ranks)).toBeDefined();
    writeFileSync(ranks, `${readFileSync(ranks, 'utf8')}\n`);
    expect(readCompiledVocabulary(file, ranks)).toBeUndefined();
  });
});

describe('countO200k gives gpt-tokenizer counts', () => {
  it('on hand-picked text: scripts, combining marks, emoji, surrogates, BOMs, whitespace runs, contractions', () => {
    const texts = [
      '',
      'hello world',
      "I'm sure they'LL say it's FINE, we'd've",
      'camelCaseWords and snake_case_words, HTTPServer2',
      '1234567890 3.14159 -42 1e10 0x1F',
      '  leading and trailing  ',
      '\n\n\n\t\t  \r\n \u000b\u000c',
      ' '.repeat(300),
      `${'x'.repeat(2000)}`,
      '日本語のテキストと中文文本',
      '한국어 텍스트',
      'Ωμέγα עברית العربية हिन्दी ไทย',
      'e\u0301 a\u0308 n\u0303 Z\u0335\u0321\u0322',
      '👍🏽 👨‍👩‍👧 🏳️‍🌈 🇫🇷',
      '𝔘𝔫𝔦𝔠𝔬𝔡𝔢 𝟙𝟚𝟛',
      'lone \ud800 high, lone \udc00 low, \ud83d at the end \ud83d',
      '\ufeff',
      '\ufeff\ufeff',
      '\ufeffusing namespace',
      'a\ufeff\ufeffb',
      ' \ufeff\n\ufeff//',
      '\u00a0\u2028\u2029\u3000\u200b\u200d',
      '\u0000\u0001\u007f\ufffd',
      'İstanbul ß ﬁ ǅ',
      '{"status":"shipped","items":[1,2,3],"note":null}\n',
      'diff --git a/x.ts b/x.ts\n@@ -1,3 +1,4 @@\n-  old();\n+  new();\n',
      '<|not special|> <| |> <|endoftex',
      'hi <|endoftext|> there',
      '<|endofprompt|>x<|im_start|>',
    ];
    expect(mismatches(texts)).toEqual([]);
    expect(countO200k('hello world')).toBe(2);
    expect(() => countO200k('hi <|endoftext|> there')).toThrow('Disallowed special token found: <|endoftext|>');
  });

  it('on 5,000 seeded random texts mixing those pieces with random code points', () => {
    const atoms = ['\ufeff', 'using', ' ', '  ', '\n', '\r\n', '\t', 'Ab', "'s", "'LL", '1234567', '日本語', 'é', 'e\u0301', '👍🏽', '\ud800', '\udc00', '\u00a0', '\u3000', '//', '{"a":1}', 'x'.repeat(40), ' '.repeat(17), 'ÅÄÖ', 'İ', 'ß', '…', '“q”', '<|'];
    let seed = 20261202;
    const random = (): number => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
    const texts = Array.from({ length: 5000 }, () => {
      let text = '';
      for (let k = 1 + Math.floor(random() * 8); k > 0; k -= 1) text += atoms[Math.floor(random() * atoms.length)] ?? '';
      if (random() < 0.3) for (let k = 0; k < 6; k += 1) text += String.fromCodePoint(Math.floor(random() * 0xd800));
      if (random() < 0.2) for (let k = 0; k < 4; k += 1) text += String.fromCodePoint(0xe000 + Math.floor(random() * (0x10ffff - 0xe000)));
      return text;
    });
    expect(mismatches(texts)).toEqual([]);
  });

  it('on every text counted in a default run', async () => {
    tokenCountCache.clear();
    const out = mkdtempSync(join(tmpdir(), 'bb-o200k-run-'));
    expect(await main(['run', '--quiet', '--out', out, '--run-id', 'r'], captureIO())).toBe(0);
    const texts = [...tokenCountCache.texts()];
    expect(texts.length).toBeGreaterThan(500);
    expect(mismatches(texts)).toEqual([]);
  });
});
