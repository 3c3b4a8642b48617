import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadVariants } from '../../harness/scenarios/load-variants.js';
import { loadScenariosOrThrow } from '../../harness/scenarios/load-scenarios.js';
import {
  CLAIMS_END,
  CLAIMS_START,
  measurePairs,
  seedClaims,
  seedClaimsMarkdown,
  withSeedClaims,
  type ScenarioPair,
  type SeedClaims,
} from '../../harness/run/seed-claims.js';

/** The seed's claims measured on the shipped suite, and the table in docs/scenarios.md that shows them. */

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
let pairs: ScenarioPair[] = [];
let claims: SeedClaims;

beforeAll(async () => {
  const baseline = loadVariants([join(root, 'prompts')]).variants.find((v) => v.id === 'baseline');
  if (!baseline) throw new Error('no baseline variant');
  pairs = await measurePairs(loadScenariosOrThrow([join(root, 'scenarios')]), baseline);
  claims = seedClaims(pairs);
}, 60_000);

describe('seed claims on the suite', () => {
  it('every reference session completed', () => {
    expect(pairs).toHaveLength(30);
    for (const p of pairs) {
      expect(p.sequential.status, p.id).toBe('completed');
      expect(p.optimal.status, p.id).toBe('completed');
    }
  });

  it('long-horizon: 12, 10 and 11 round-trips one call at a time, 3, 2 and 3 at best (hand-counted from the graphs)', () => {
    expect(claims.long.ids).toEqual(['coding-lockfile-audit', 'finance-month-end-bank-rec', 'ops-checkout-path-sweep']);
    expect(claims.long.seqToolTurns).toEqual([12, 10, 11]);
    expect(claims.long.optToolTurns).toEqual([3, 2, 3]);
    expect(claims.long.seqTurns).toEqual([13, 11, 12]);
    expect(claims.long.optTurns).toEqual([4, 3, 4]);
    expect(claims.long.tokenRatio).toBeGreaterThan(3);
  });

  it('turn counts match the graphs: 17 scenarios allow a batch of 3+, 112/17 sequential and 44/17 optimal turns; the suite 167/30 and 90/30', () => {
    expect(claims.batched.count).toBe(17);
    expect(claims.batched.seqTurnsMean).toBeCloseTo(112 / 17, 12);
    expect(claims.batched.seqTurnsRange).toBe('5–13');
    expect(claims.batched.optTurnsMean).toBeCloseTo(44 / 17, 12);
    expect(claims.suite.seqTurnsMean).toBeCloseTo(167 / 30, 12);
    expect(claims.suite.optTurnsMean).toBeCloseTo(3, 12);
  });

  it('turn growth: 25 sequential sessions reach turn 5 (the scenarios with 4+ calls) and 8 reach turn 6 (5+ calls)', () => {
    expect(claims.growth.turn5.n).toBe(pairs.filter((p) => p.calls >= 4).length);
    expect(claims.growth.turn5.n).toBe(25);
    expect(claims.growth.turn6.n).toBe(8);
    // Each request re-sends the whole history, so every later call is bigger than the first.
    expect(claims.growth.turn5.median).toBeGreaterThan(1);
  });

  it('docs/scenarios.md holds exactly the table computed here', () => {
    const doc = readFileSync(join(root, 'docs', 'scenarios.md'), 'utf8');
    expect(doc).toContain(CLAIMS_START);
    expect(doc).toContain(CLAIMS_END);
    expect(doc, 'regenerate with: npx tsx harness/run/write-seed-claims.ts').toBe(withSeedClaims(doc, seedClaimsMarkdown(claims)));
  });
});
