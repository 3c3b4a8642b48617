import { z } from 'zod';
import type { InputIssue } from '../../core/errors.js';
import { validateWith } from '../../core/input-files.js';

/**
 * Input files of the Berkeley Function Calling Leaderboard (BFCL): JSON lines,
 * one question (or one answer) per line. Validated here, once; the converter
 * trusts the types below.
 */

const message = z.looseObject({
  role: z.enum(['system', 'user'], 'only system and user messages are supported'),
  content: z.string().min(1),
});

/** One turn: system messages (they become the scenario's context), then exactly one user message. */
const turn = z
  .array(message)
  .min(1)
  .superRefine((messages, ctx) => {
    const users = messages.filter((m) => m.role === 'user').length;
    if (users !== 1 || messages.at(-1)?.role !== 'user') {
      ctx.addIssue({ code: 'custom', message: 'a turn must be system messages followed by exactly one user message' });
    }
  });

const bfclFunction = z.looseObject({
  name: z.string().min(1),
  description: z.string().min(1),
  /** BFCL's JSON Schema dialect: `type: "dict"` for objects, `float`, `tuple`, `any`... */
  parameters: z.looseObject({
    type: z.enum(['dict', 'object'], 'the parameters of a function are a "dict"'),
    properties: z.record(z.string(), z.unknown()).default({}),
  }),
});

export const bfclQuestionSchema = z.looseObject({
  id: z.string().regex(/^[A-Za-z0-9_.-]+$/, 'ids use letters, digits, _ . -'),
  question: z
    .array(turn)
    .length(1, 'only single-turn questions are supported'),
  function: z
    .array(bfclFunction)
    .min(1)
    .superRefine((fns, ctx) => {
      const seen = new Set<string>();
      fns.forEach((f, i) => {
        if (seen.has(f.name)) ctx.addIssue({ code: 'custom', path: [i, 'name'], message: `duplicate function name "${f.name}"` });
        seen.add(f.name);
      });
    }),
});

/** Accepted values of one parameter; `""` means it may be omitted. */
const acceptedValues = z.array(z.unknown()).min(1, 'list at least one accepted value');

export const bfclAnswerSchema = z.looseObject({
  id: z.string().min(1),
  ground_truth: z
    .array(
      z
        .record(z.string(), z.record(z.string(), acceptedValues))
        .refine((entry) => Object.keys(entry).length === 1, 'each ground-truth entry names exactly one function'),
    )
    .min(1, 'list at least one expected call'),
});

export type BfclFunction = z.infer<typeof bfclFunction>;

/** One ground-truth call: a function and the accepted values of each of its parameters. */
export interface BfclCall {
  tool: string;
  params: Record<string, unknown[]>;
}

/** A question joined with its answer. `line`s are 1-based, for messages. */
export interface BfclItem {
  id: string;
  task: string;
  /** The question's system messages, joined by blank lines; absent when it has none. */
  context?: string;
  functions: BfclFunction[];
  calls: BfclCall[];
  where: { questions: string; answers: string };
}

export interface BfclSource {
  /** File name as shown in messages. */
  file: string;
  text: string;
}

/** `file:line`, the `file` of an issue found on one line. */
export const atLine = (file: string, line: number): string => `${file}:${line}`;

/**
 * Parses and validates JSON lines; every problem names the file, line and field.
 * Blank lines are skipped. `invalidIds` holds the ids of records that failed validation.
 */
export function parseJsonLines<S extends z.ZodType>(
  source: BfclSource,
  schema: S,
): { records: { line: number; value: z.infer<S> }[]; invalidIds: Set<string>; issues: InputIssue[] } {
  const records: { line: number; value: z.infer<S> }[] = [];
  const invalidIds = new Set<string>();
  const issues: InputIssue[] = [];
  source.text.split('\n').forEach((raw, i) => {
    if (raw.trim() === '') return;
    const where = atLine(source.file, i + 1);
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch (e) {
      issues.push({ file: where, path: '', message: `not valid JSON: ${(e as Error).message}` });
      return;
    }
    const { data, issues: found } = validateWith(schema, json, where);
    issues.push(...found);
    if (data !== undefined) records.push({ line: i + 1, value: data });
    else if (typeof (json as { id?: unknown } | null)?.id === 'string') invalidIds.add((json as { id: string }).id);
  });
  if (records.length === 0 && issues.length === 0) issues.push({ file: source.file, path: '', message: 'no records (empty file?)' });
  return { records, invalidIds, issues };
}

/**
 * Reads a BFCL question file and its answer file and joins them by id. Checks
 * what the converter relies on: ids unique and matched one-to-one, every
 * ground-truth call names a function of its question and only its parameters.
 */
export function readBfclSet(
  questions: BfclSource,
  answers: BfclSource,
): { items: BfclItem[]; issues: InputIssue[]; dropped: InputIssue[]; questionCount: number } {
  const q = parseJsonLines(questions, bfclQuestionSchema);
  const a = parseJsonLines(answers, bfclAnswerSchema);
  const issues = [...q.issues, ...a.issues];
  const dropped: InputIssue[] = [];

  const answersById = new Map<string, { line: number; value: z.infer<typeof bfclAnswerSchema> }>();
  for (const r of a.records) {
    const where = atLine(answers.file, r.line);
    if (answersById.has(r.value.id)) issues.push({ file: where, path: 'id', message: `duplicate id "${r.value.id}"` });
    else answersById.set(r.value.id, r);
  }

  const items: BfclItem[] = [];
  const questionIds = new Set<string>();
  for (const { line, value } of q.records) {
    const where = atLine(questions.file, line);
    if (questionIds.has(value.id)) {
      issues.push({ file: where, path: 'id', message: `duplicate id "${value.id}"` });
      continue;
    }
    questionIds.add(value.id);
    const answer = answersById.get(value.id);
    if (!answer) {
      if (a.invalidIds.has(value.id)) continue;
      issues.push({ file: where, path: 'id', message: `no answer with id "${value.id}" in ${answers.file}` });
      continue;
    }
    const answerWhere = atLine(answers.file, answer.line);
    const before = issues.length;
    const notes: InputIssue[] = [];
    const calls = answer.value.ground_truth.map((entry, j): BfclCall => {
      const [tool, params] = Object.entries(entry)[0] as [string, Record<string, unknown[]>];
      const fn = value.function.find((f) => f.name === tool);
      if (!fn) {
        issues.push({ file: answerWhere, path: `ground_truth.${j}.${tool}`, message: `no function "${tool}" in question ${value.id} (${where})` });
        return { tool, params };
      }
      const kept: Record<string, unknown[]> = {};
      for (const [param, values] of Object.entries(params)) {
        if (Object.hasOwn(fn.parameters.properties, param)) {
          kept[param] = values;
        } else if (values.includes('')) {
          // BFCL lists it as optional ("" among its values) but the schema lacks it: no model can send it, so it is left out.
          notes.push({ file: answerWhere, path: `ground_truth.${j}.${tool}.${param}`, message: `optional parameter "${param}" is not in the schema of "${tool}"; dropped` });
        } else {
          issues.push({ file: answerWhere, path: `ground_truth.${j}.${tool}.${param}`, message: `"${tool}" has no parameter "${param}"` });
        }
      }
      return { tool, params: kept };
    });
    if (issues.length > before) continue;
    dropped.push(...notes);
    const messages = value.question[0] ?? [];
    const task = messages.at(-1)?.content ?? '';
    const system = messages.filter((m) => m.role === 'system').map((m) => m.content);
    items.push({
      id: value.id,
      task,
      ...(system.length > 0 ? { context: system.join('\n\n') } : {}),
      functions: value.function,
      calls,
      where: { questions: where, answers: answerWhere },
    });
  }
  for (const [id, r] of answersById) {
    if (!questionIds.has(id) && !q.invalidIds.has(id)) issues.push({ file: atLine(answers.file, r.line), path: 'id', message: `no question with id "${id}" in ${questions.file}` });
  }
  const questionCount = questions.text.split('\n').filter((l) => l.trim() !== '').length;
  return { items, issues, dropped, questionCount };
}
