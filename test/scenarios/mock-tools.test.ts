import { describe, expect, it } from 'vitest';
import { MockToolExecutor } from '../../harness/scenarios/mock-tools.js';
import { fixtureScenario } from '../helpers.js';

describe('mocked tools', () => {
  const fanOut = new MockToolExecutor(fixtureScenario('fan-out'));
  const diamond = new MockToolExecutor(fixtureScenario('diamond'));
  const chain = new MockToolExecutor(fixtureScenario('chain'));

  it('answers an exact match with its result and latency', async () => {
    expect(await fanOut.execute('service_status', { service: 'db' }, '')).toEqual({
      content: '{"service":"db","status":"degraded","p99_ms":930}',
      isError: false,
      latencyMs: 400,
    });
  });

  it('loads a result from fixtures/', async () => {
    const r = await fanOut.execute('service_status', { service: 'queue' }, '');
    expect(JSON.parse(r.content)).toEqual({ service: 'queue', status: 'healthy', backlog: 1204 });
    expect(r.latencyMs).toBe(100);
  });

  it('matches a subset entry when the call has extra arguments', async () => {
    const r = await diamond.execute('total_cost', { per_night: 95, nights: 2, currency: 'EUR' }, '');
    expect(r).toMatchObject({ content: '{"total":190}', isError: false });
  });

  it('exact entries do not match extra arguments', async () => {
    const r = await fanOut.execute('service_status', { service: 'db', verbose: true }, '');
    expect(r).toMatchObject({ isError: true, errorKind: 'no-match' });
    expect(r.content).toContain('service_status found nothing');
  });

  it('uses the fallback, here an error, for arguments nothing matches', async () => {
    expect(await chain.execute('latest_order', { customer_id: 'C-99' }, '')).toMatchObject({ content: 'Error: unknown customer id', isError: true, errorKind: 'mocked' });
  });

  it('reports an unknown tool with the list of tools', async () => {
    const r = await chain.execute('delete_customer', {}, '{}');
    expect(r).toMatchObject({ isError: true, errorKind: 'unknown-tool' });
    expect(r.content).toContain('find_customer, latest_order, refund_policy');
  });

  it('reports arguments that are not a JSON object', async () => {
    expect(await chain.execute('find_customer', undefined, '{"email": ')).toMatchObject({ isError: true, errorKind: 'bad-arguments' });
  });
});
