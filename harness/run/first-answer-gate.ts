import type { Provider } from '../providers/types.js';

/**
 * Holds back a model provider's sessions until the provider has answered once.
 *
 * The first session of a provider starts alone; the others wait until one of
 * its model calls returns an answer, or until that session ends however it
 * ends. A refused key or an unknown model then costs one request, not one per
 * concurrency slot: the first session errors with a halting error and the
 * waiting sessions are recorded as skipped. Once open, the gate never closes,
 * so a healthy run loses only the time of one model call to it.
 */
export class FirstAnswerGate {
  readonly #open: Promise<void>;
  #release: () => void = () => {};
  #leader = false;

  constructor() {
    this.#open = new Promise((resolve) => {
      this.#release = resolve;
    });
  }

  /**
   * Claims the first session (true once, for the caller that must not wait),
   * or waits until the gate opens (false).
   */
  async enter(): Promise<boolean> {
    if (!this.#leader) {
      this.#leader = true;
      return true;
    }
    await this.#open;
    return false;
  }

  /** Opens the gate for every waiting and later session. */
  open(): void {
    this.#release();
  }

  /** `provider` with the gate opened by its first answer. */
  watch(provider: Provider): Provider {
    return {
      id: provider.id,
      kind: provider.kind,
      generate: async (request, signal) => {
        const response = await provider.generate(request, signal);
        this.open();
        return response;
      },
    };
  }
}
