import type { z } from 'zod';

/**
 * Whether `value` passes `schema`, decided without building zod's output (a
 * deep copy of every object and array): for a writer, which checks each record
 * it writes and throws the copy away. Each schema is compiled once into a
 * plain function from its definition, which answers `true` only when zod's own
 * parse would succeed; for anything it does not know (a transform, a default,
 * a refinement, a string format, an object that is not plain) it answers
 * `false`, and the caller asks zod, which then either passes the value or
 * names the field. The kinds of schema read here are those of the run-file
 * schema (schema.ts); test/core/conforms.test.ts holds it to zod's answers.
 */
export function conforms<S extends z.core.$ZodType>(schema: S, value: unknown): value is z.core.output<S> {
  return checkerOf(schema)(value);
}

type Check = (value: unknown) => boolean;

const compiled = new WeakMap<z.core.$ZodType, Check>();
const never: Check = () => false;

function checkerOf(schema: z.core.$ZodType): Check {
  let check = compiled.get(schema);
  if (check === undefined) {
    const shape = shapeCheck(schema);
    const checks = checksOf(schema._zod.def.checks);
    // As zod does: the checks run only on a value of the right type.
    check = checks === undefined ? shape : (v) => shape(v) && checks(v);
    compiled.set(schema, check);
  }
  return check;
}

/** A schema's definition, narrowed on `type`: every zod schema is one of `$ZodTypes`. */
const defOf = (schema: z.core.$ZodType): z.core.$ZodTypes['_zod']['def'] => (schema as z.core.$ZodTypes)._zod.def;

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

/** Own fields of a plain object, enumerable or not, symbols included. */
function ownFieldCount(v: object): number {
  let n = 0;
  for (const k in v) if (Object.hasOwn(v, k)) n += 1;
  return n;
}

function shapeCheck(schema: z.core.$ZodType): Check {
  const def = defOf(schema);
  switch (def.type) {
    case 'string':
      return (v) => typeof v === 'string';
    case 'number':
      return (v) => typeof v === 'number' && Number.isFinite(v);
    case 'boolean':
      return (v) => typeof v === 'boolean';
    case 'unknown':
    case 'any':
      return () => true;
    case 'null':
      return (v) => v === null;
    case 'literal': {
      const values: readonly unknown[] = def.values;
      return (v) => values.includes(v);
    }
    case 'enum': {
      const values: readonly unknown[] = Object.values(def.entries);
      return (v) => values.includes(v);
    }
    case 'optional': {
      const inner = checkerOf(def.innerType);
      return (v) => v === undefined || inner(v);
    }
    case 'nullable': {
      const inner = checkerOf(def.innerType);
      return (v) => v === null || inner(v);
    }
    case 'array': {
      const element = checkerOf(def.element);
      return (v) => {
        if (!Array.isArray(v)) return false;
        for (const x of v) if (!element(x)) return false;
        return true;
      };
    }
    case 'union':
      return unionCheck(def);
    case 'record': {
      const key = defOf(def.keyType);
      if (key.type !== 'string' || (key.checks?.length ?? 0) > 0) return never;
      const item = checkerOf(def.valueType);
      return (v) => {
        if (!isPlainObject(v)) return false;
        let n = 0;
        for (const k in v) {
          if (!item(v[k])) return false;
          n += 1;
        }
        // Every enumerable field was own (a plain object inherits none), and there is no other own field.
        return n === Reflect.ownKeys(v).length;
      };
    }
    case 'object':
      return objectCheck(def);
    default:
      return never;
  }
}

/** Strict objects only: a catch-all other than `never` lets fields through that zod would keep or strip. */
function objectCheck(def: z.core.$ZodObjectDef): Check {
  if (def.catchall === undefined || defOf(def.catchall).type !== 'never') return never;
  const shape = def.shape;
  const fields = Object.keys(shape).map((key) => ({ key, check: checkerOf(shape[key] as z.core.$ZodType), optional: defOf(shape[key] as z.core.$ZodType).type === 'optional' }));
  return (v) => {
    if (!isPlainObject(v)) return false;
    // Own fields the shape knows; any other own field is one zod would refuse.
    let known = 0;
    for (const f of fields) {
      const x = v[f.key];
      if (x === undefined && !Object.hasOwn(v, f.key)) {
        if (!f.optional) return false;
        continue;
      }
      if (!f.check(x)) return false;
      known += 1;
    }
    return known === ownFieldCount(v);
  };
}

/**
 * An inclusive union passes a value one option passes; an exclusive one
 * (a discriminated union, `xor`) exactly one. A discriminated union whose
 * options are strict objects with literal discriminators checks only the
 * option the value's discriminator names, as zod does.
 */
function unionCheck(def: z.core.$ZodUnionDef | z.core.$ZodDiscriminatedUnionDef): Check {
  const options = def.options.map(checkerOf);
  if (def.inclusive !== false) return (v) => options.some((o) => o(v));
  const byTag = 'discriminator' in def ? tagMap(def) : undefined;
  if (byTag !== undefined) {
    const { tag, options: named } = byTag;
    return (v) => {
      if (!isPlainObject(v)) return false;
      const option = named.get(v[tag]);
      return option !== undefined && option(v);
    };
  }
  return (v) => options.filter((o) => o(v)).length === 1;
}

/** The discriminator, and by its value the one option it names; undefined when an option's discriminator is not a literal, or two share a value. */
function tagMap(def: z.core.$ZodDiscriminatedUnionDef): { tag: string; options: Map<unknown, Check> } | undefined {
  const map = new Map<unknown, Check>();
  for (const option of def.options) {
    const d = defOf(option);
    if (d.type !== 'object') return undefined;
    const field = d.shape[def.discriminator];
    const tag = field === undefined ? undefined : defOf(field);
    if (tag?.type !== 'literal') return undefined;
    for (const value of tag.values) {
      if (map.has(value)) return undefined;
      map.set(value, checkerOf(option));
    }
  }
  return { tag: def.discriminator, options: map };
}

/** The checks of a schema as one function (the number checks of the run-file schema); undefined when it has none. */
function checksOf(checks: readonly z.core.$ZodCheck<never>[] | undefined): Check | undefined {
  if (checks === undefined || checks.length === 0) return undefined;
  const parts = checks.map(checkOf);
  // Composed without a closure per value: a record holds hundreds of checked numbers.
  return parts.reduce((all, p) => (v) => all(v) && p(v));
}

function checkOf(check: z.core.$ZodCheck<never>): Check {
  const def = (check as z.core.$ZodChecks)._zod.def;
  switch (def.check) {
    case 'greater_than': {
      const limit = Number(def.value);
      return def.inclusive ? (v) => typeof v === 'number' && v >= limit : (v) => typeof v === 'number' && v > limit;
    }
    case 'less_than': {
      const limit = Number(def.value);
      return def.inclusive ? (v) => typeof v === 'number' && v <= limit : (v) => typeof v === 'number' && v < limit;
    }
    case 'number_format':
      return def.format === 'safeint' ? (v) => Number.isSafeInteger(v) : never;
    default:
      // A refinement among them: a writer runs the run file's rules itself (`sessionLineIssues`).
      return never;
  }
}
