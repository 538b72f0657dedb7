// What PostgreSQL can store as text or jsonb: no NUL character and no unpaired UTF-16 surrogate. Pure code:
// the API (api/edge.ts) and the workflows' message validators use it alike.

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

export function isStorable(s: string): boolean {
  return !s.includes('\u0000') && !LONE_SURROGATE.test(s);
}

export const UNSTORABLE_MESSAGE = 'contains a character that cannot be stored (NUL or an unpaired surrogate)';
