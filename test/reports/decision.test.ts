import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../harness/metrics/prices.js';
import { analyseRun } from '../../harness/metrics/run-analysis.js';
import { decisions } from '../../harness/reports/decision.js';
import { decisionBlock } from '../../harness/reports/html/decision-block.js';
import { batched, manifestOf, sequential } from '../metrics/errored-run.js';

const repeats = Array.from({ length: 24 }, (_, i) => i + 1);
// plain: one call per turn, 5 turns and 1,000 input tokens; together: all four calls at once, 2 turns and 400.
const sessions = repeats.flatMap((r) => [sequential('ref:a', 'plain', r), batched('ref:a', 'together', r)]);
const a = analyseRun({ manifest: manifestOf(['ref:a'], 24, sessions.length), sessions }, { resamples: 200, prices: DEFAULT_PRICES, priceModel: 'gpt-4o', baseline: 'plain' });

describe('the bottom line', () => {
  it('names the best variant per model with each change, its interval and better / worse / no clear change', () => {
    const [d] = decisions(a);
    expect(d).toMatchObject({ title: 'ref:a (reference policy)', baseline: 'plain', best: 'together', pairs: 24 });
    expect(d?.figures.map((f) => [f.metric, f.change, f.interval, f.word])).toEqual([
      ['turns', '−3.00', '−3.00 to −3.00', 'better'],
      ['batchingRate', '+100.0 pts', '+100.0 pts to +100.0 pts', 'better'],
      ['inputTokens', '−600', '−600 to −600', 'better'],
      ['cost', expect.stringMatching(/^−\$0\.\d+$/), expect.stringMatching(/^−\$0\.\d+ to −\$0\.\d+$/), 'better'],
      ['virtualMs', '±0.0', '±0.0 to ±0.0', 'no clear change'],
      ['success', '±0.0 pts', '±0.0 pts to ±0.0 pts', 'no clear change'],
    ]);
    expect(d?.bottomLine).toBe('ref:a (reference policy): together is the best variant (4 better, none worse, 2 no clear change against plain, 24 pairs).');
    const html = decisionBlock(a);
    expect(html).toContain('<td><strong>together</strong><br><span class="ci">vs plain, 24 pairs</span></td>');
    expect(html).toContain('<span class="word better">better</span> −3.00<br><span class="ci">−3.00 to −3.00</span>');
  });

  it('with the baseline as the only arm there is nothing to compare, and the block says so', () => {
    const only = analyseRun({ manifest: manifestOf(['ref:a'], 24, 24), sessions: repeats.map((r) => sequential('ref:a', 'plain', r)) }, { resamples: 200 });
    expect(decisions(only).map((d) => d.bottomLine)).toEqual(['ref:a (reference policy): nothing to compare with plain.']);
  });
});
