import type { z } from 'zod';

/**
 * A cheap stand-in for `schema.parse(value)` on the hot path: finalize runs once per record,
 * 13,400 times per sdn.csv, where DesignationSchema.parse (already JIT-compiled by zod 4)
 * mostly rebuilds the object it has just checked. Re-measured with zod 4.6 on a loaded 2-core
 * machine (2026-11-25): without this check the sdn.csv ingest took 30-100 ms more warm and
 * 70-300 ms more cold.
 *
 * `compileCheck(schema)(value)` is true only when zod would accept `value` AND return a copy
 * equal to it: plain objects and arrays, same keys in the schema's order, no extra keys,
 * strings unchanged (test/core/fast-check.test.ts compares it with zod). The
 * caller may then use `value` itself as the parse result. False means "not sure": call
 * `schema.parse(value)`, which throws the usual ZodError or returns its normalized copy.
 *
 * It is compiled from the schema's own definition (zod 4 `_zod.def`), so it cannot drift
 * from it. Only the features the Designation schema uses are understood (object, array,
 * string with min length / url, enum, boolean, optional); any other type or check compiles
 * to "not sure", so a schema change can make finalize slower but never lets through a
 * record zod would reject.
 */
export type Check = (value: unknown) => boolean;

interface ZodCheckDef {
  check?: string;
  minimum?: unknown;
  format?: string;
}
interface ZodDef {
  type: string;
  checks?: Array<{ _zod: { def: ZodCheckDef } }>;
  coerce?: boolean;
  shape?: Record<string, ZodInternals>;
  catchall?: unknown;
  innerType?: ZodInternals;
  element?: ZodInternals;
}
interface ZodInternals {
  _zod: { def: ZodDef; values?: ReadonlySet<unknown>; optin?: string; optout?: string };
}

const notSure: Check = () => false;

/** zod's url check trims and drops tabs/newlines from its output; accept only values it leaves as they are. */
const plainUrl = (v: string): boolean => v === v.trim() && !/[\t\n\r]/.test(v) && URL.canParse(v);

export function compileCheck(schema: z.ZodType): Check {
  try {
    return compile(schema as unknown as ZodInternals);
  } catch {
    return notSure; // internals not as expected (another zod version?): always ask zod
  }
}

function compile(schema: ZodInternals): Check {
  const def = schema._zod.def;
  const checks = def.checks ?? [];
  if (def.coerce) return notSure;
  switch (def.type) {
    case 'string': {
      let min = 0;
      let url = false;
      for (const { _zod } of checks) {
        const c = _zod.def;
        const keys = Object.keys(c).filter((k) => k !== 'when' && k !== 'abort');
        if (c.check === 'min_length' && typeof c.minimum === 'number' && keys.length === 2) min = Math.max(min, c.minimum);
        else if (c.check === 'string_format' && c.format === 'url' && keys.length === 3 && 'type' in c) url = true;
        else return notSure; // max, regex, hostname/protocol/normalize options, refinements…
      }
      return (v) => typeof v === 'string' && v.length >= min && (!url || plainUrl(v));
    }
    case 'boolean':
      return checks.length > 0 ? notSure : (v) => typeof v === 'boolean';
    case 'enum': {
      const values = schema._zod.values;
      return checks.length > 0 || !values ? notSure : (v) => values.has(v);
    }
    case 'optional': {
      if (checks.length > 0 || !def.innerType) return notSure;
      const inner = compile(def.innerType);
      return (v) => v === undefined || inner(v);
    }
    case 'array': {
      if (checks.length > 0 || !def.element) return notSure;
      const element = compile(def.element);
      return (v) => {
        if (!Array.isArray(v) || Object.getPrototypeOf(v) !== Array.prototype) return false; // zod returns a plain array
        for (let i = 0; i < v.length; i++) if (!element(v[i])) return false; // holes read as undefined, as zod reads them
        return true;
      };
    }
    case 'object': {
      if (checks.length > 0 || def.catchall !== undefined || !def.shape) return notSure;
      const fields = Object.entries(def.shape).map(([key, s]) => ({
        key,
        check: compile(s),
        optional: s._zod.optin === 'optional' && s._zod.optout === 'optional',
      }));
      return (v) => {
        // zod returns a plain object: class instances and null-prototype objects would not come back as they are.
        if (typeof v !== 'object' || v === null || Object.getPrototypeOf(v) !== Object.prototype) return false;
        const o = v as Record<string, unknown>;
        // Walk the value's own keys against the shape: each must be the next field, optional
        // fields may be skipped, nothing else may appear (zod would strip or reorder it).
        let i = 0;
        for (const key in o) {
          while (i < fields.length && fields[i]!.key !== key) {
            if (!fields[i]!.optional) return false;
            i++;
          }
          if (i === fields.length || !fields[i]!.check(o[key])) return false;
          i++;
        }
        for (; i < fields.length; i++) if (!fields[i]!.optional) return false;
        return true;
      };
    }
    default:
      return notSure;
  }
}
