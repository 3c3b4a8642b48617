import { pathToFileURL } from 'node:url';
import type { InputIssue } from './errors.js';

/**
 * How this process can load a TypeScript module: through tsx when it is installed (an optional
 * peer dependency: a clone has it as a devDependency), else through Node's own type stripping
 * (on by default from Node 22.18 and 23.6). Tests pass their own to check what happens without either.
 * tsx gets both its hooks: a `.ts` file outside an ES-module package (no `"type": "module"` above it,
 * a config in a plain directory, say) is CommonJS to Node, and only tsx's CommonJS hook compiles those.
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
    const esm = await tsxApi('tsx/esm/api');
    if (esm === undefined) return false;
    const cjs = await tsxApi('tsx/cjs/api');
    esm.register();
    cjs?.register();
    tsxRegistered = true;
    return true;
  },
  nodeStripsTypes() {
    const features = process.features as { typescript?: unknown };
    return features.typescript === 'strip' || features.typescript === 'transform';
  },
};

async function tsxApi(entry: 'tsx/esm/api' | 'tsx/cjs/api'): Promise<TsxApi | undefined> {
  try {
    return entry === 'tsx/esm/api' ? await import('tsx/esm/api') : await import('tsx/cjs/api');
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
    return { exports: moduleExports((await import(pathToFileURL(file).href)) as Record<string, unknown>) };
  } catch (e) {
    const code = (e as { code?: unknown }).code;
    const hint =
      native && (code === 'ERR_UNSUPPORTED_TYPESCRIPT_SYNTAX' || code === 'ERR_INVALID_TYPESCRIPT_SYNTAX')
        ? ` (Node's type stripping takes only erasable TypeScript; install tsx (npm i -D tsx) to load this file through tsx)`
        : '';
    return { issue: { file: shown, path: '', message: `cannot load: ${(e as Error).message}${hint}` } };
  }
}

/**
 * The exports of an imported module. A TypeScript module that Node loaded as CommonJS (compiled by
 * tsx's CommonJS hook) comes back wrapped: its namespace's `default` is the whole `module.exports`,
 * marked `__esModule`, holding the module's own `default` and named exports; that object is returned.
 */
function moduleExports(namespace: Record<string, unknown>): Record<string, unknown> {
  const inner = namespace['default'];
  if (typeof inner === 'object' && inner !== null && (inner as { __esModule?: unknown }).__esModule === true) return inner as Record<string, unknown>;
  return namespace;
}
