import { pathToFileURL } from 'node:url';
import type { InputIssue } from './errors.js';

/**
 * How this process can load a TypeScript module: through tsx when it is installed (an optional
 * peer dependency: a clone has it as a devDependency), else through Node's own type stripping
 * (on by default from Node 22.18 and 23.6). Tests pass their own to check what happens without either.
 */
export interface TypeScriptSupport {
  /** Registers tsx's loader (once per process) if tsx is installed where batchbench finds it (beside it); false if not. */
  registerTsx(): Promise<boolean>;
  /** Whether Node strips types itself (`process.features.typescript`). */
  nodeStripsTypes(): boolean;
}

type TsxApi = { register: () => unknown };

let tsxRegistered = false;

/** The support of the running process. */
export const processTypeScriptSupport: TypeScriptSupport = {
  async registerTsx() {
    if (tsxRegistered) return true;
    const api = await tsxApi();
    if (api === undefined) return false;
    api.register();
    tsxRegistered = true;
    return true;
  },
  nodeStripsTypes() {
    const features = process.features as { typescript?: unknown };
    return features.typescript === 'strip' || features.typescript === 'transform';
  },
};

async function tsxApi(): Promise<TsxApi | undefined> {
  try {
    return await import('tsx/esm/api');
  } catch (e) {
    if ((e as { code?: unknown }).code === 'ERR_MODULE_NOT_FOUND' && String((e as Error).message).includes("'tsx'")) return undefined;
    throw e;
  }
}

export function isTypeScriptFile(file: string): boolean {
  return /\.[mc]?ts$/.test(file);
}

/**
 * Imports a module of the user's code (a config file, tool handlers) and returns its exports, or an
 * issue naming the file as `shown`: a module that throws or does not parse, or a TypeScript file
 * this process has no way to load (then the issue says what to install, or to write `instead`).
 */
export async function importCodeFile(
  file: string,
  shown: string,
  instead: string,
  support: TypeScriptSupport = processTypeScriptSupport,
): Promise<{ exports: Record<string, unknown> } | { issue: InputIssue }> {
  let native = false;
  try {
    if (isTypeScriptFile(file) && !(await support.registerTsx())) {
      native = support.nodeStripsTypes();
      if (!native) {
        return {
          issue: {
            file: shown,
            path: '',
            message: `cannot load a TypeScript file: Node ${process.version} does not strip types and tsx is not installed. Install tsx beside batchbench (npm i -D tsx; npm i -g tsx for a global batchbench), run Node >= 22.18, or use ${instead}`,
          },
        };
      }
    }
    return { exports: (await import(pathToFileURL(file).href)) as Record<string, unknown> };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const hint =
      native && (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || code === 'ERR_INVALID_TYPESCRIPT_SYNTAX')
        ? ` (Node's type stripping takes only erasable TypeScript; install tsx (npm i -D tsx) to load this file through tsx)`
        : '';
    return { issue: { file: shown, path: '', message: `cannot load: ${(e as Error).message}${hint}` } };
  }
}
