import { BatchbenchError } from '../core/errors.js';
import type { ModelRequest, ModelResponse, Provider } from './types.js';

export type ScriptStep = ModelResponse | ((request: ModelRequest) => ModelResponse | Promise<ModelResponse>);

/** Plays back a fixed list of responses, one per model call; for tests and examples. */
export class ScriptedProvider implements Provider {
  readonly kind = 'scripted' as const;
  readonly requests: ModelRequest[] = [];
  #next = 0;

  constructor(
    private readonly steps: readonly ScriptStep[],
    readonly id = 'scripted',
  ) {}

  async generate(request: ModelRequest): Promise<ModelResponse> {
    this.requests.push(request);
    const step = this.steps[this.#next++];
    if (step === undefined) throw new BatchbenchError(`scripted provider has no response for model call ${this.#next}`);
    return typeof step === 'function' ? step(request) : step;
  }
}
