import { describe, expect, it } from 'vitest';
import { opensslVerify } from '../../test/support/openssl';
import { generateKeyPairSync, createVerify } from 'node:crypto';
import { canonicalRequestString, signCanonical, signedHeaders, contentSha256 } from './signing';

describe('Digipost request signing', () => {
  it('reproduces the canonical string of the spec example (§1.3) byte for byte', () => {
    const s = canonicalRequestString({
      method: 'post',
      path: '/messages',
      query: '',
      date: 'Wed, 29 Jun 2011 14:58:11 GMT',
      contentSha256: 'q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=',
      userId: '9999',
    });
    expect(s).toBe(
      'POST\n/messages\ndate: Wed, 29 Jun 2011 14:58:11 GMT\n' +
        'x-content-sha256: q1MKE+RZFJgrefm34/uplM/R8/si9xzqGvvwK0YMbR0=\nx-digipost-userid: 9999\n\n',
    );
  });

  it('lower-cases path and whole query, and omits the hash line without a body', () => {
    const s = canonicalRequestString({
      method: 'GET',
      path: '/Documents/Events',
      query: 'from=2024-05-02T10%3A00%3A00.000%2B02%3A00&maxResults=100',
      date: 'Wed, 29 Jun 2011 14:58:11 GMT',
      userId: '1',
    });
    expect(s).toBe(
      'GET\n/documents/events\ndate: Wed, 29 Jun 2011 14:58:11 GMT\nx-digipost-userid: 1\n' +
        'from=2024-05-02t10%3a00%3a00.000%2b02%3a00&maxresults=100\n',
    );
  });

  it('makes a signature that verifies with Node crypto and with openssl dgst -sha256 -verify', () => {
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const priv = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const pub = publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const body = Buffer.from('<message/>');
    const headers = signedHeaders({
      method: 'POST',
      url: new URL('http://sim.local/messages'),
      body,
      userId: '9999',
      privateKeyPem: priv,
      now: new Date('2011-06-29T14:58:11Z'),
    });
    expect(headers['X-Content-SHA256']).toBe(contentSha256(body));
    const canonical = canonicalRequestString({
      method: 'POST',
      path: '/messages',
      query: '',
      date: headers.Date!,
      contentSha256: headers['X-Content-SHA256'],
      userId: '9999',
    });
    expect(signCanonical(canonical, priv)).toBe(headers['X-Digipost-Signature']);
    const sig = Buffer.from(headers['X-Digipost-Signature']!, 'base64');
    expect(createVerify('RSA-SHA256').update(canonical).verify(pub, sig)).toBe(true);
    expect(
      createVerify('RSA-SHA256')
        .update(canonical + 'x')
        .verify(pub, sig),
    ).toBe(false);

    expect(opensslVerify(pub, canonical, sig)).toBe('Verified OK');
  });
});
