import type { InputIssue } from '../core/errors.js';
import { importCodeFile } from '../core/import-code.js';
import { displayPath } from '../core/input-files.js';
import { MockToolExecutor, type ToolExecutor, type ToolOutcome } from './mock-tools.js';
import type { Scenario } from './types.js';

/** What a handler sees besides the arguments. */
export interface ToolHandlerContext {
  scenarioId: string;
  toolName: string;
  signal?: AbortSignal;
}

/** A tool implemented in code: returns the result (a string, or JSON-serialisable) or throws for a tool error. */
export type ToolHandler = (args: Record<string, unknown>, ctx: ToolHandlerContext) => unknown;

export type ToolHandlers = Record<string, ToolHandler>;

/** A handler module's default export: the handlers, or a function making fresh ones per session (stateful tools). */
export type ToolHandlerModule = ToolHandlers | (() => ToolHandlers);

/** Typed helper for handler modules: `export default defineHandlers({ ... })`. */
export function defineHandlers<T extends ToolHandlerModule>(handlers: T): T {
  return handlers;
}

const modules = new Map<string, ToolHandlerModule>();

/** Imports the handler module of every scenario that has one (TypeScript through tsx, or Node's type stripping); returns problems as issues. */
export async function loadHandlerModules(scenarios: readonly Scenario[]): Promise<InputIssue[]> {
  return (await loadHandlers(scenarios)).issues;
}

/**
 * Like `loadHandlerModules`, and also names the modules loaded: importing a
 * module runs its code, with the rights of the user running batchbench.
 */
export async function loadHandlers(scenarios: readonly Scenario[]): Promise<{ issues: InputIssue[]; loaded: string[] }> {
  const issues: InputIssue[] = [];
  for (const s of scenarios) {
    const file = s.handlersFile;
    if (file === undefined || modules.has(file)) continue;
    const loaded = await importCodeFile(file, displayPath(file), 'a .js or .mjs module');
    if ('issue' in loaded) {
      issues.push(loaded.issue);
      continue;
    }
    const exported = loaded.exports.default;
    const ok =
      typeof exported === 'function' ||
      (typeof exported === 'object' && exported !== null && Object.values(exported).every((h) => typeof h === 'function'));
    if (!ok) {
      issues.push({ file: displayPath(file), path: 'default', message: 'the default export must map tool names to functions, or be a function returning such a map' });
      continue;
    }
    modules.set(file, exported as ToolHandlerModule);
  }
  for (const s of scenarios) {
    const mod = s.handlersFile === undefined ? undefined : modules.get(s.handlersFile);
    if (!mod) continue;
    const handled = new Set(Object.keys(instantiate(mod)));
    s.tools.forEach((t, i) => {
      if (!handled.has(t.definition.name) && t.mocks.length === 0 && !t.fallback) {
        issues.push({ file: displayPath(s.file), path: `tools.${i}`, message: `tool "${t.definition.name}" has neither a handler in ${displayPath(s.handlersFile ?? '')} nor a mocked result` });
      }
    });
    for (const name of handled) {
      if (!s.tools.some((t) => t.definition.name === name)) {
        issues.push({ file: displayPath(s.handlersFile ?? ''), path: name, message: `handler for "${name}", which scenario ${s.id} does not define as a tool` });
      }
    }
  }
  const loaded = [...new Set(scenarios.flatMap((s) => (s.handlersFile !== undefined && modules.has(s.handlersFile) ? [s.handlersFile] : [])))];
  return { issues, loaded };
}

function instantiate(mod: ToolHandlerModule): ToolHandlers {
  return typeof mod === 'function' ? mod() : mod;
}

/**
 * Runs tools through code handlers where the scenario has them, and through its
 * mocks otherwise. Handler results get the tool's simulated latency; a thrown
 * error goes back to the model as a tool error.
 */
export class HandlerToolExecutor implements ToolExecutor {
  readonly #mocks: MockToolExecutor;
  readonly #handlers: ToolHandlers;
  readonly #latency: Map<string, number>;

  constructor(
    private readonly scenario: Scenario,
    handlers: ToolHandlers,
  ) {
    this.#mocks = new MockToolExecutor(scenario);
    this.#handlers = handlers;
    this.#latency = new Map(scenario.tools.map((t) => [t.definition.name, t.latencyMs]));
  }

  async execute(name: string, args: Record<string, unknown> | undefined, rawArgs: string, signal?: AbortSignal): Promise<ToolOutcome> {
    const handler = this.#handlers[name];
    const latencyMs = this.#latency.get(name);
    if (!handler || latencyMs === undefined || args === undefined) return this.#mocks.execute(name, args, rawArgs);
    try {
      const result = await handler(args, { scenarioId: this.scenario.id, toolName: name, ...(signal ? { signal } : {}) });
      return { content: typeof result === 'string' ? result : JSON.stringify(result), isError: false, latencyMs };
    } catch (e) {
      return { content: `Error: ${(e as Error).message}`, isError: true, errorKind: 'handler', latencyMs };
    }
  }
}

/** The executor for one session: fresh handlers (and so fresh state) per session. */
export function toolsForSession(scenario: Scenario): ToolExecutor {
  const mod = scenario.handlersFile === undefined ? undefined : modules.get(scenario.handlersFile);
  return mod ? new HandlerToolExecutor(scenario, instantiate(mod)) : new MockToolExecutor(scenario);
}
