import { entryMatches, renderEcho } from './mock-match.js';
import type { MockOutcome, Scenario, ScenarioTool } from './types.js';

/** The mocked answer to one call: what the model sees and how long it took (virtually). */
export interface ToolOutcome {
  content: string;
  isError: boolean;
  /** Why the call failed, for metrics: the mock said so, the tool is unknown, or nothing matched. */
  errorKind?: 'mocked' | 'unknown-tool' | 'no-match' | 'bad-arguments' | 'handler' | 'over-budget';
  latencyMs: number;
}

/** Anything that can run a tool call: scenario mocks, code handlers, test doubles. */
export interface ToolExecutor {
  execute(name: string, args: Record<string, unknown> | undefined, rawArgs: string, signal?: AbortSignal): Promise<ToolOutcome>;
}

/**
 * First exact entry that equals the arguments, else the first subset entry they
 * contain, else the fallback (see `entryMatches` for substring, regex and unordered tests).
 */
export function findMock(
  tool: ScenarioTool,
  args: Record<string, unknown>,
): { outcome: MockOutcome; latencyMs: number } | undefined {
  const exact = tool.mocks.find((m) => m.mode !== 'subset' && entryMatches(m, args));
  if (exact) return exact;
  const subset = tool.mocks.find((m) => m.mode === 'subset' && entryMatches(m, args));
  return subset ?? tool.fallback;
}

/** A scenario's tools by name, built once per scenario (every session makes its executor). */
const byNameOf = new WeakMap<readonly ScenarioTool[], Map<string, ScenarioTool>>();

function toolsByName(tools: readonly ScenarioTool[]): Map<string, ScenarioTool> {
  let byName = byNameOf.get(tools);
  if (byName === undefined) byNameOf.set(tools, (byName = new Map(tools.map((t) => [t.definition.name, t]))));
  return byName;
}

/** Executes calls against the scenario's mocked results. Never throws: problems become tool errors. */
export class MockToolExecutor implements ToolExecutor {
  readonly #tools: Map<string, ScenarioTool>;

  constructor(scenario: Pick<Scenario, 'tools'>) {
    this.#tools = toolsByName(scenario.tools);
  }

  execute(name: string, args: Record<string, unknown> | undefined, rawArgs: string): Promise<ToolOutcome> {
    const tool = this.#tools.get(name);
    if (!tool) {
      const known = [...this.#tools.keys()].join(', ');
      return Promise.resolve({ content: `Error: unknown tool "${name}". Available tools: ${known}.`, isError: true, errorKind: 'unknown-tool', latencyMs: 0 });
    }
    if (args === undefined) {
      return Promise.resolve({
        content: `Error: the arguments of "${name}" are not a JSON object: ${rawArgs.slice(0, 200)}`,
        isError: true,
        errorKind: 'bad-arguments',
        latencyMs: 0,
      });
    }
    const mock = findMock(tool, args);
    if (!mock) {
      return Promise.resolve({
        content: `Error: ${name} found nothing for ${JSON.stringify(args)}.`,
        isError: true,
        errorKind: 'no-match',
        latencyMs: tool.latencyMs,
      });
    }
    return Promise.resolve(
      mock.outcome.kind === 'error'
        ? { content: `Error: ${mock.outcome.message}`, isError: true, errorKind: 'mocked', latencyMs: mock.latencyMs }
        : {
            content: mock.outcome.echo === undefined ? mock.outcome.content : renderEcho(mock.outcome.echo, args),
            isError: false,
            latencyMs: mock.latencyMs,
          },
    );
  }
}
