import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { lazySha256 } from '../../harness/core/sha256.js';
import { loadScenarioFile } from '../../harness/scenarios/load-scenarios.js';
import { loadVariants } from '../../harness/scenarios/load-variants.js';

const ROOT = join(import.meta.dirname, '..', '..');
const sha256 = (...parts: string[]): string => {
  const hash = createHash('sha256');
  for (const part of parts) hash.update(part);
  return hash.digest('hex');
};

describe('lazySha256', () => {
  it('gives the SHA-256 of the parts in order, as UTF-8, the same at every read', () => {
    const hash = lazySha256(['scenario: ü\n', '{"a": 1}', '']);
    expect(hash()).toBe(sha256('scenario: ü\n', '{"a": 1}', ''));
    expect(hash()).toBe(hash());
    expect(lazySha256([])()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it("is a scenario's hash: its file's text, then each result_file fixture's as read; a variant's: its file's text", () => {
    const file = join(ROOT, 'scenarios', 'analytics-conversion-drilldown.yaml');
    const { scenario, issues } = loadScenarioFile(file);
    expect(issues).toEqual([]);
    const text = readFileSync(file, 'utf8');
    const fixtures = [...text.matchAll(/result_file: ([^\s#]+)/g)].map((m) => readFileSync(join(ROOT, 'fixtures', m[1] as string), 'utf8'));
    expect(fixtures.length).toBeGreaterThan(0);
    expect(scenario?.hash).toBe(sha256(text, ...fixtures));
    expect({ ...scenario }.hash).toBe(scenario?.hash);
    const { variants } = loadVariants([join(ROOT, 'prompts')]);
    expect(variants.length).toBeGreaterThan(0);
    for (const v of variants) expect(JSON.parse(JSON.stringify(v)).hash).toBe(sha256(readFileSync(v.file, 'utf8')));
  });
});
