import { describe, expect, it } from 'vitest';
import { canonicalJson, IDEMPOTENCY_KEY_PATTERN, requestHash } from './idempotency';

describe('the request hash', () => {
  it('is the same for the same JSON with its keys in another order, at every level', () => {
    const a = { caseId: 'S-1', recipient: { name: 'Kari', address: { lines: ['a'], city: 'OSLO' } } };
    const b = { recipient: { address: { city: 'OSLO', lines: ['a'] }, name: 'Kari' }, caseId: 'S-1' };
    expect(canonicalJson(a)).toBe(canonicalJson(b));
    expect(requestHash('POST', '/v1/letters', a)).toBe(requestHash('POST', '/v1/letters', b));
  });

  it('differs for another value, another array order, another path or method', () => {
    const h = requestHash('POST', '/v1/letters', { lines: ['a', 'b'] });
    expect(requestHash('POST', '/v1/letters', { lines: ['b', 'a'] })).not.toBe(h);
    expect(requestHash('POST', '/v1/letters', { lines: ['a', 'b', ''] })).not.toBe(h);
    expect(requestHash('POST', '/v1/letters/bulk', { lines: ['a', 'b'] })).not.toBe(h);
    expect(requestHash('PUT', '/v1/letters', { lines: ['a', 'b'] })).not.toBe(h);
    // a string that looks like the canonical form of an object is still a string
    expect(canonicalJson('{"a":1}')).not.toBe(canonicalJson({ a: 1 }));
  });

  it('takes no body as null', () => {
    expect(canonicalJson(undefined)).toBe('null');
  });
});

describe('the key', () => {
  it.each([['a'], ['kk2-4711/IKV:1'], ['!'.repeat(255)]])('%s is accepted', (k) =>
    expect(IDEMPOTENCY_KEY_PATTERN.test(k)).toBe(true),
  );
  it.each([[''], ['a b'], ['k'.repeat(256)], ['nøkkel'], ['tab\there']])('%j is refused', (k) =>
    expect(IDEMPOTENCY_KEY_PATTERN.test(k)).toBe(false),
  );
});
