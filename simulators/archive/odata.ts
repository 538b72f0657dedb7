// The part of OData's `$filter` the simulator understands: `path eq literal` terms joined by `and`, where a
// path may navigate into objects (`journalposttype/kode`) and a literal is a quoted string ('' escapes a
// quote) or a number. Anything else is rejected, as a server does with 400.

export type Predicate = (data: Record<string, unknown>) => boolean;

export class FilterError extends Error {}

const TOKEN = /\s*(?:(\()|(\))|('(?:[^']|'')*')|(-?\d+(?:\.\d+)?)|([A-Za-z_][\w/.]*))/y;

function tokenize(source: string): string[] {
  const tokens: string[] = [];
  TOKEN.lastIndex = 0;
  while (TOKEN.lastIndex < source.length) {
    if (/^\s*$/.test(source.slice(TOKEN.lastIndex))) break;
    const start = TOKEN.lastIndex;
    const m = TOKEN.exec(source);
    if (!m) throw new FilterError(`cannot read $filter at position ${start}`);
    tokens.push(m[0].trim());
  }
  return tokens;
}

function resolve(data: Record<string, unknown>, path: string): unknown {
  let value: unknown = data;
  for (const part of path.split('/')) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

function literal(token: string): string {
  if (token.startsWith("'")) return token.slice(1, -1).replaceAll("''", "'");
  if (/^-?\d/.test(token)) return String(Number(token));
  throw new FilterError(`expected a literal, got ${token}`);
}

interface Term {
  path: string;
  /** The literal's value; `quoted` when it was a string literal. */
  value: string;
  quoted: boolean;
}

function parseTerms(source: string): Term[] {
  const tokens = tokenize(source);
  const terms: Term[] = [];
  let i = 0;
  for (;;) {
    const path = tokens[i];
    const op = tokens[i + 1];
    const value = tokens[i + 2];
    if (!path || !/^[A-Za-z_]/.test(path) || op !== 'eq' || value === undefined)
      throw new FilterError('only "field eq literal" terms joined by "and" are supported');
    terms.push({ path, value: literal(value), quoted: value.startsWith("'") });
    i += 3;
    if (i === tokens.length) break;
    if (tokens[i] !== 'and') throw new FilterError(`unexpected ${tokens[i]} in $filter`);
    i += 1;
  }
  return terms;
}

export function parseFilter(source: string): Predicate {
  const terms = parseTerms(source).map(({ path, value }): Predicate => {
    return (data) => {
      const actual = resolve(data, path);
      return (typeof actual === 'string' || typeof actual === 'number') && String(actual) === value;
    };
  });
  return (data) => terms.every((t) => t(data));
}

/**
 * The independent server reads a string literal shaped like a UUID as a UUID, so compared with a text field
 * (anything but `systemID`) the search fails (archive-noark5.md §1.4 point 13). Returns that literal, if any;
 * a filter it cannot read is left to `parseFilter`.
 */
export function uuidLiteralOnStringField(source: string, uuid: RegExp): string | undefined {
  let terms: Term[];
  try {
    terms = parseTerms(source);
  } catch {
    return undefined;
  }
  return terms.find((t) => t.quoted && uuid.test(t.value) && t.path.split('/').at(-1) !== 'systemID')?.value;
}
