import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { createSecretBox } from './secret-box';

describe('secret box (AES-256-GCM)', () => {
  const box = createSecretBox(randomBytes(32).toString('base64'));

  it('opens what it sealed, and seals the same text differently each time', () => {
    const pem = '-----BEGIN PRIVATE KEY-----\nabc\n-----END PRIVATE KEY-----\n';
    const a = box.seal(pem);
    const b = box.seal(pem);
    expect(a).not.toBe(b);
    expect(a).not.toContain('PRIVATE KEY');
    expect(box.open(a)).toBe(pem);
    expect(box.open(b)).toBe(pem);
  });

  it('refuses a tampered ciphertext and another key', () => {
    const sealed = box.seal('hemmelig');
    const [v, iv, tag, body] = sealed.split('.');
    const flipped = Buffer.from(body!, 'base64url');
    flipped[0]! ^= 1;
    expect(() => box.open([v, iv, tag, flipped.toString('base64url')].join('.'))).toThrow();
    expect(() => createSecretBox(randomBytes(32).toString('base64')).open(sealed)).toThrow();
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createSecretBox(randomBytes(16).toString('base64'))).toThrow(/32 bytes/);
  });
});
