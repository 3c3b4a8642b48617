import { z } from 'zod';
import { InputError, type InputIssue } from '../core/errors.js';
import { lazySha256 } from '../core/sha256.js';
import { displayPath, expandPaths, parseYaml, readInputFile, validateWith } from '../core/input-files.js';
import { formatLimit, LIMITS } from '../core/limits.js';
import { longText, shortText } from './text-limits.js';

export const VARIANT_EXTENSIONS = ['.md'];

export const TASK_PLACEHOLDER = '{{task}}';

/** Front matter of a prompt variant file (`prompts/*.md`); the body is the system prompt. */
export const variantHeaderSchema = z.strictObject({
  id: shortText().regex(/^[a-z0-9][a-z0-9-]*$/, 'ids are lowercase kebab-case'),
  description: shortText().min(1),
  /** Whether the provider may return several tool calls in one response. */
  parallel_tool_calls: z.boolean().default(true),
  /** How the session is driven; see docs/strategies.md. */
  strategy: shortText().default('loop'),
  /** Options of the strategy (e.g. budgets). */
  strategy_options: z.record(z.string(), z.unknown()).default({}),
  /** The prompt asks the model for a JSON plan of parallel groups first: its plans are scored (docs/strategies.md). */
  expects_plan: z.boolean().default(false),
  /** The user message sent for a task; `{{task}}` stands for the scenario's task. */
  user_template: longText()
    .refine((t) => t.includes(TASK_PLACEHOLDER), `must contain ${TASK_PLACEHOLDER}`)
    .default(TASK_PLACEHOLDER),
});

export interface Variant {
  id: string;
  description: string;
  system: string;
  userTemplate: string;
  parallelToolCalls: boolean;
  strategy: string;
  strategyOptions: Record<string, unknown>;
  /** Plans are scored for this variant (`expects_plan`, or the plan-execute strategy). */
  expectsPlan: boolean;
  file: string;
  hash: string;
}

export function renderUserMessage(variant: Pick<Variant, 'userTemplate'>, task: string): string {
  return variant.userTemplate.split(TASK_PLACEHOLDER).join(task);
}

const FRONT_MATTER = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?([\s\S]*)$/;

export function loadVariantFile(file: string): { variant?: Variant; issues: InputIssue[] } {
  const shown = displayPath(file);
  const read = readInputFile(file, shown);
  if (read.text === undefined) return { issues: read.issues };
  const text = read.text;
  const m = FRONT_MATTER.exec(text);
  if (!m) return { issues: [{ file: shown, path: '', message: 'missing front matter: start the file with a --- block holding id and description' }] };
  const yaml = parseYaml(m[1] ?? '', shown);
  if (yaml.issues.length > 0) return { issues: yaml.issues };
  const { data, issues } = validateWith(variantHeaderSchema, yaml.value, shown);
  if (!data) return { issues };
  const system = (m[2] ?? '').trim();
  if (system === '') return { issues: [{ file: shown, path: 'body', message: 'the system prompt (text after the front matter) is empty' }] };
  if (system.length > LIMITS.longTextChars) {
    return { issues: [{ file: shown, path: 'body', message: `the system prompt is too long: ${formatLimit(system.length)} characters, at most ${formatLimit(LIMITS.longTextChars)} (see docs/limits.md)` }] };
  }
  const hash = lazySha256([text]);
  return {
    variant: {
      id: data.id,
      description: data.description,
      system,
      userTemplate: data.user_template,
      parallelToolCalls: data.parallel_tool_calls,
      strategy: data.strategy,
      strategyOptions: data.strategy_options,
      expectsPlan: data.expects_plan || data.strategy === 'plan-execute',
      file,
      get hash() {
        return hash();
      },
    },
    issues: [],
  };
}

export function loadVariants(paths: readonly string[]): { variants: Variant[]; issues: InputIssue[] } {
  const variants: Variant[] = [];
  const issues: InputIssue[] = [];
  for (const file of expandPaths(paths, VARIANT_EXTENSIONS)) {
    if (file.endsWith('README.md')) continue;
    const r = loadVariantFile(file);
    issues.push(...r.issues);
    if (r.variant) {
      const dup = variants.find((v) => v.id === r.variant?.id);
      if (dup) issues.push({ file: displayPath(file), path: 'id', message: `id "${dup.id}" is also used by ${displayPath(dup.file)}` });
      else variants.push(r.variant);
    }
  }
  return { variants, issues };
}

export function loadVariantsOrThrow(paths: readonly string[]): Variant[] {
  const { variants, issues } = loadVariants(paths);
  if (issues.length > 0) throw new InputError(issues);
  return variants;
}
