import type { ToolDefinition } from '../core/tools.js';
import type { ChainStep, HybridSpec } from './chain-steps.js';
import type { DagAnalysis } from '../core/dag.js';
import type { TrajectoryMode } from '../core/trajectory.js';
import type { TextMatcher } from './mock-match.js';
import type { AnswerFact, ExpectedCall } from './schema.js';

/** What a mocked call returns: a result string, or an error sent back as the tool result. */
export type MockOutcome =
  | {
      kind: 'result';
      content: string;
      /** The inline result of a fallback with `echo: true`, rendered with each call's arguments. */
      echo?: unknown;
    }
  | { kind: 'error'; message: string };

export interface MockEntry {
  match: Record<string, unknown>;
  mode: 'exact' | 'subset' | 'bfcl';
  /** Substring and regex tests of free-text arguments (`contains`, `regex`). */
  text?: Record<string, TextMatcher[]>;
  /** Arguments whose arrays match in any order. */
  unordered?: string[];
  outcome: MockOutcome;
  latencyMs: number;
}

export interface ScenarioTool {
  definition: ToolDefinition;
  latencyMs: number;
  mocks: MockEntry[];
  fallback: { outcome: MockOutcome; latencyMs: number } | undefined;
}

/** A validated scenario with fixtures resolved and its dependency structure analysed. */
export interface Scenario {
  id: string;
  title: string;
  domain: string;
  shape: string;
  difficulty: 'easy' | 'medium' | 'hard';
  tags: string[];
  task: string;
  /** System-side instructions of the task (`context`), appended to the variant's system text. */
  context?: string;
  /** The scenario's own model-call limit (`max_turns`), replacing the run's when set. */
  maxTurns?: number;
  tools: ScenarioTool[];
  expectedCalls: ExpectedCall[];
  success: { requiredCalls: string[]; answerContains: AnswerFact[]; trajectory?: TrajectoryMode };
  referenceAnswer: string;
  dag: DagAnalysis;
  /** Declared deterministic chains by name (`chain` strategy). */
  chains?: Record<string, ChainStep[]>;
  /** Declared processing steps of the `hybrid` strategy. */
  hybrid?: HybridSpec;
  /** Absolute path of the tool-handler module, when the scenario has one. */
  handlersFile: string | undefined;
  /** Path of the file it was loaded from. */
  file: string;
  /** sha256 of the file and every fixture it reads. */
  hash: string;
}
