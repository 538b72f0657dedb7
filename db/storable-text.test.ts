import { describe, expect, it } from 'vitest';
import { isStorableText, storableJson, storableText } from './storable-text';

describe('storable text', () => {
  it('replaces NUL and lone surrogates, and keeps surrogate pairs', () => {
    expect(storableText('a\u0000b')).toBe('a\uFFFDb');
    expect(storableText('x\uD800y\uDC00z')).toBe('x\uFFFDy\uFFFDz');
    expect(storableText('emoji 😀 ok')).toBe('emoji 😀 ok');
    expect(isStorableText('æøå 😀')).toBe(true);
    expect(isStorableText('\uDBFF')).toBe(false);
  });

  it('walks JSON deeply, keys included, and names the paths it changed', () => {
    const { value, replaced } = storableJson({
      tittel: 'A\u0000',
      avsender: { navn: 'ok' },
      filmetadata: [{ filnavn: '\uD83D.pdf' }],
      ['nøkkel\u0000']: 1,
      n: 3,
      b: null,
    });
    expect(value).toEqual({
      tittel: 'A\uFFFD',
      avsender: { navn: 'ok' },
      filmetadata: [{ filnavn: '\uFFFD.pdf' }],
      ['nøkkel\uFFFD']: 1,
      n: 3,
      b: null,
    });
    expect(replaced).toEqual(['tittel', 'filmetadata.0.filnavn']);
  });
});
