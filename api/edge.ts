// One rule at the edge: every string a route accepts (body, query, path, cookie) must be one PostgreSQL can
// store (no NUL, no unpaired UTF-16 surrogate) and within its documented bounds, and every number has bounds.
// The zod building blocks below validate at run time and publish the same rule in the OpenAPI document (a
// `pattern`, lengths in code points as JSON Schema counts them); `refuseUnstorable` checks what arrives before
// any route sees it, so a route that forgets still never hands PostgreSQL something it refuses.
import type { RequestHandler } from 'express';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { ApiError } from './errors';
import { isStorable, UNSTORABLE_MESSAGE } from '../domain/storable';

extendZodWithOpenApi(z);

/** The characters String.prototype.trim removes (ECMAScript WhiteSpace and LineTerminator). */
const TRIMMED = '\\t\\n\\u000b\\f\\r \\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff';

// The published patterns exclude NUL; unpaired surrogates, which no UTF-8 body can carry except as JSON
// escapes, are refused at run time too (isStorable), but left out of the patterns: JSON Schema tools cannot
// generate from a character class of surrogates, and in Python's regex dialect a pair is not two characters.
/** Only storable characters. */
// eslint-disable-next-line no-control-regex -- NUL is exactly what it excludes
export const STORABLE = /^[^\u0000]*$/;
/** Storable, with at least one character that trimming keeps. */
export const STORABLE_NONBLANK = new RegExp(`^[${TRIMMED}]*[^${TRIMMED}\\u0000][^\\u0000]*$`);

export { isStorable, UNSTORABLE_MESSAGE };

/** Length as JSON Schema counts it (code points), so the published maxLength is the one enforced. */
export const codePoints = (s: string): number => Array.from(s).length;

/**
 * A free text field: storable, `min`..`max` code points as sent, then trimmed. With `min` ≥ 1 it must hold
 * something besides white space.
 */
export function text({ min = 1, max, trim = true }: { min?: number; max: number; trim?: boolean }) {
  const nonblank = trim && min >= 1;
  const pattern = nonblank ? STORABLE_NONBLANK : STORABLE;
  const checked = z
    .string()
    .refine((s) => isStorable(s), UNSTORABLE_MESSAGE)
    .refine((s) => codePoints(s) <= max, `at most ${max} characters`)
    .refine((s) => codePoints(s) >= min, `at least ${min} character${min === 1 ? '' : 's'}`)
    .refine((s) => !nonblank || !isStorable(s) || pattern.test(s), 'must hold more than white space');
  return (trim ? checked.overwrite((s) => s.trim()) : checked).openapi({
    minLength: min,
    maxLength: max,
    pattern: pattern.source,
  });
}

/** An integer within bounds, from a query string (digits only) or JSON. */
export function boundedInt({ min, max }: { min: number; max: number }) {
  return z
    .preprocess(
      (v) => (typeof v === 'string' && /^-?\d{1,16}$/.test(v) ? Number(v) : v),
      z
        .number({ error: (i) => (i.code === 'invalid_type' ? 'expected an integer' : undefined) })
        .int('expected an integer')
        .min(min)
        .max(max),
    )
    .openapi({ type: 'integer', minimum: min, maximum: max });
}

type Where = 'body' | 'query' | 'path' | 'cookie' | 'header';

/** The first place in a parsed JSON value (keys included) that holds an unstorable string. */
export function findUnstorable(value: unknown, path: string[] = []): string[] | undefined {
  if (typeof value === 'string') return isStorable(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      if (!isStorable(k)) return [...path, '(key)'];
      const found = findUnstorable(v, [...path, k]);
      if (found) return found;
    }
  }
  return undefined;
}

export function unstorableError(where: Where, path: string[]): ApiError {
  const field = path.length ? path.join('.') : `(${where})`;
  return new ApiError(400, 'VALIDATION_FAILED', `${field}: ${UNSTORABLE_MESSAGE}`, [
    { field, in: where, problem: UNSTORABLE_MESSAGE },
  ]);
}

/** Routes that check their body item by item (api/letter-create.ts), so one bad item refuses only itself. */
const CHECKED_ITEM_BY_ITEM = new Set(['/v1/letters/bulk']);

/**
 * Refuses a request whose body, query string or path holds a string PostgreSQL could not store, naming the
 * field. Runs after the body parser, before every route.
 */
export const refuseUnstorable: RequestHandler = (req, _res, next) => {
  let segments: string[];
  try {
    segments = req.path.split('/').map((s) => decodeURIComponent(s));
  } catch {
    throw new ApiError(400, 'VALIDATION_FAILED', '(path): malformed percent-encoding', [
      { field: '(path)', in: 'path', problem: 'malformed percent-encoding' },
    ]);
  }
  const badSegment = segments.find((s) => !isStorable(s));
  if (badSegment !== undefined) throw unstorableError('path', []);
  const inQuery = findUnstorable(req.query);
  if (inQuery) throw unstorableError('query', inQuery);
  const inBody = CHECKED_ITEM_BY_ITEM.has(req.path) ? undefined : findUnstorable(req.body);
  if (inBody) throw unstorableError('body', inBody);
  next();
};
