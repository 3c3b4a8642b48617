import { describe, expect, it } from 'vitest';
import { slowFileLines } from './slow-files.js';

describe('the slow-file warning at the end of a test run', () => {
  it('names the files over the limit, slowest first, with their seconds', () => {
    const times = [
      { file: 'test/a.test.ts', ms: 1_200 },
      { file: 'test/e2e/pack.test.ts', ms: 21_340 },
      { file: 'test/b.test.ts', ms: 20_000 },
      { file: 'test/run/resume.test.ts', ms: 33_060 },
    ];
    expect(slowFileLines(times, 20_000)).toEqual([
      '2 test file(s) took over 20 s; a file may take at most 30 s on 2 cores (README, Quick start): give it less work, not fewer checks',
      '  test/run/resume.test.ts  33.1 s',
      '  test/e2e/pack.test.ts  21.3 s',
    ]);
  });

  it('says nothing when every file is within the limit', () => {
    expect(slowFileLines([{ file: 'test/a.test.ts', ms: 20_000 }], 20_000)).toEqual([]);
    expect(slowFileLines([], 20_000)).toEqual([]);
  });
});
