import { RUN_FORMAT_VERSION, type SessionBase, type SessionError, type SessionRecord } from '../core/run-file/records.js';
import { checkSuccess } from '../scenarios/success.js';
import { withTrajectory } from '../scenarios/trajectory.js';
import { SessionContext, type SessionSpec, type StrategyOutcome } from './session-context.js';
import { bindStrategy } from './strategies/index.js';
import { StrategyOptionError } from './strategies/options.js';
import { sessionKey } from '../core/matrix.js';

/** Turns anything thrown into the error stored in a session record. */
export function toSessionError(e: unknown): SessionError {
  if (e instanceof Error) {
    const status = (e as { status?: unknown; statusCode?: unknown }).status ?? (e as { statusCode?: unknown }).statusCode;
    const halts = (e as { halts?: unknown }).halts;
    return {
      class: e.constructor.name === 'Error' ? e.name : e.constructor.name,
      message: e.message,
      ...(typeof status === 'number' ? { statusCode: status } : {}),
      ...(halts === 'auth' || halts === 'model' ? { halts } : {}),
    };
  }
  return { class: 'Unknown', message: String(e) };
}

/** Runs one session to its end. Never throws: failures are stored in the record. */
export async function runSession(spec: SessionSpec): Promise<SessionRecord> {
  const startedAt = new Date();
  const started = performance.now();
  const ctx = new SessionContext(spec);
  // Loaded variants were checked (strategyIssues); one built in code may still name no strategy or bad options.
  const strategy = bindStrategy(spec.variant);
  let outcome: StrategyOutcome;
  if ('problems' in strategy) {
    const message = strategy.problems.map((p) => `${p.path}: ${p.message}`).join('; ');
    outcome = { kind: 'errored', error: toSessionError(new StrategyOptionError(message)), finalAnswer: null };
  } else {
    try {
      outcome = await strategy.run(ctx);
    } catch (e) {
      outcome = { kind: 'errored', error: toSessionError(e), finalAnswer: null };
    }
  }
  const finalAnswer = outcome.finalAnswer;
  const success = withTrajectory(checkSuccess(spec.scenario, ctx.done, outcome.kind === 'answered' ? finalAnswer ?? undefined : undefined), spec.scenario, ctx);
  const base: SessionBase = {
    formatVersion: RUN_FORMAT_VERSION,
    runId: spec.runId,
    key: sessionKey(spec.provider.id, spec.variant.id, spec.scenario.id, spec.repeat),
    provider: { id: spec.provider.id, kind: spec.provider.kind },
    variantId: spec.variant.id,
    strategy: spec.variant.strategy,
    scenarioId: spec.scenario.id,
    repeat: spec.repeat,
    seed: spec.seed,
    optimalTurns: spec.scenario.dag.optimalTurns,
    turns: ctx.turns,
    finalAnswer,
    success,
    startedAt: startedAt.toISOString(),
    finishedAt: new Date().toISOString(),
    virtualMs: ctx.virtualMs,
    realMs: performance.now() - started,
    ...(Object.keys(ctx.extra).length > 0 ? { extra: ctx.extra } : {}),
    ...(ctx.chainCalls.length > 0 ? { chainCalls: ctx.chainCalls } : {}),
  };
  switch (outcome.kind) {
    case 'answered':
      return success.passed ? { ...base, status: 'completed' } : { ...base, status: 'failed' };
    case 'stopped':
      return { ...base, status: 'budget-exceeded', stopReason: outcome.reason };
    case 'errored':
      return { ...base, status: 'errored', error: outcome.error };
  }
}
