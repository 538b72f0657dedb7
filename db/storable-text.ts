// What PostgreSQL cannot store in text and jsonb: the NUL character (text refuses the byte, jsonb the
// \u0000 escape) and lone UTF-16 surrogates (jsonb refuses the escape; text would silently get U+FFFD).
// Data from outside (SvarInn) is made storable here, and the caller records what was replaced.

// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with every NUL and lone surrogate replaced by U+FFFD. */
export function storableText(s: string): string {
  return s.replace(UNSTORABLE, '\uFFFD');
}

export function isStorableText(s: string): boolean {
  return !new RegExp(UNSTORABLE.source).test(s);
}

/**
 * A deep copy of a JSON-like value with every string (keys included) made storable, and the paths of the
 * strings that changed (`tittel`, `avsender.navn`, `filmetadata.0.filnavn`).
 */
export function storableJson<T>(value: T): { value: T; replaced: string[] } {
  const replaced: string[] = [];
  const walk = (v: unknown, path: string): unknown => {
    if (typeof v === 'string') {
      if (isStorableText(v)) return v;
      replaced.push(path || '(verdi)');
      return storableText(v);
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, path ? `${path}.${i}` : String(i)));
    if (v !== null && typeof v === 'object') {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) {
        const key = isStorableText(k) ? k : storableText(k);
        out[key] = walk(x, path ? `${path}.${key}` : key);
      }
      return out;
    }
    return v;
  };
  return { value: walk(value, '') as T, replaced };
}
