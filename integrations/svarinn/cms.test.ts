// Decryption against payloads made by OpenSSL (`openssl cms -encrypt` with OAEP/SHA-256 and AES-256-CBC,
// streamed BER and definite-length DER), not by our own simulator, with keys in the three forms SvarInn
// receivers hold them (PKCS#1 PEM, PKCS#8 PEM, PKCS#12).
import { selfSignedKeyPair } from '../../test/support/openssl';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import { zipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decryptSvarInnPayload } from './cms';
import { SvarInnError } from './errors';
import { privateKeyPemFromPkcs12 } from './keys';

let dir: string;
const file = (name: string) => join(dir, name);
const openssl = (...args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'pipe', 'pipe'] });

/** `openssl cms -encrypt` as KS documents it, streamed (BER) unless `der`. */
function opensslEncrypt(
  plaintext: Buffer,
  opts: { der?: boolean; pkcs1?: boolean; cert?: string } = {},
): Buffer {
  const input = file(`in-${randomBytes(4).toString('hex')}`);
  writeFileSync(input, plaintext);
  const keyopts = opts.pkcs1
    ? []
    : ['-keyopt', 'rsa_padding_mode:oaep', '-keyopt', 'rsa_oaep_md:sha256', '-keyopt', 'rsa_mgf1_md:sha256'];
  openssl(
    'cms',
    '-encrypt',
    '-binary',
    ...(opts.der ? [] : ['-stream']),
    '-outform',
    'DER',
    '-aes-256-cbc',
    '-recip',
    opts.cert ?? file('public.pem'),
    ...keyopts,
    '-in',
    input,
    '-out',
    `${input}.cms`,
  );
  return readFileSync(`${input}.cms`);
}

let pkcs8: string;
let pkcs1: string;
let otherKey: string;
const zip = Buffer.from(
  zipSync({
    'Søknad om skjenkebevilling.pdf': new TextEncoder().encode('%PDF-1.4\nbody\n%%EOF\n'),
    'vedlegg.txt': new TextEncoder().encode('vedlegg'),
  }),
);
const large = randomBytes(5000 + 7); // several chunks, not a multiple of the AES block

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'svarinn-cms-'));
  // KS's recipe for a receiving system's key pair (svarinn-api.md §4.1).
  selfSignedKeyPair(file('privatekey.pem'), file('public.pem'), '99999', '/CN=svarinn-test');
  selfSignedKeyPair(file('other.pem'), file('other-cert.pem'), '1', '/CN=other');
  openssl('rsa', '-in', file('privatekey.pem'), '-traditional', '-out', file('pkcs1.pem'));
  openssl(
    'pkcs12',
    '-export',
    '-inkey',
    file('privatekey.pem'),
    '-in',
    file('public.pem'),
    '-out',
    file('key.p12'),
    '-passout',
    'pass:changeit',
  );
  pkcs8 = readFileSync(file('privatekey.pem'), 'utf8');
  pkcs1 = readFileSync(file('pkcs1.pem'), 'utf8');
  otherKey = readFileSync(file('other.pem'), 'utf8');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function decryptError(payload: Uint8Array, key: string): SvarInnError {
  try {
    decryptSvarInnPayload(payload, key);
  } catch (e) {
    if (e instanceof SvarInnError) return e;
    throw e;
  }
  throw new Error('decryption unexpectedly succeeded');
}

describe('decryptSvarInnPayload with OpenSSL-made payloads', () => {
  it('decrypts a streamed (BER indefinite-length) ZIP payload', () => {
    const payload = opensslEncrypt(zip);
    expect(payload.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]));
    expect(decryptSvarInnPayload(payload, pkcs8).equals(zip)).toBe(true);
  });

  it('decrypts a definite-length DER payload spanning several chunks', () => {
    const payload = opensslEncrypt(large, { der: true });
    expect(payload[1]).not.toBe(0x80);
    expect(decryptSvarInnPayload(payload, pkcs8).equals(large)).toBe(true);
    expect(decryptSvarInnPayload(opensslEncrypt(large), pkcs8).equals(large)).toBe(true);
  });

  it('decrypts a definite-length payload with more than 16 MB of content (beyond asn1js default limit)', () => {
    const huge = randomBytes(17 * 1024 * 1024);
    expect(decryptSvarInnPayload(opensslEncrypt(huge, { der: true }), pkcs8).equals(huge)).toBe(true);
  });

  it('reads the private key as PKCS#1 PEM, PKCS#8 PEM and from PKCS#12', () => {
    expect(pkcs1).toContain('BEGIN RSA PRIVATE KEY');
    const payload = opensslEncrypt(zip);
    expect(decryptSvarInnPayload(payload, pkcs1).equals(zip)).toBe(true);
    const fromP12 = privateKeyPemFromPkcs12(readFileSync(file('key.p12')), 'changeit');
    expect(decryptSvarInnPayload(payload, fromP12).equals(zip)).toBe(true);
    expect(() => privateKeyPemFromPkcs12(readFileSync(file('key.p12')), 'wrong')).toThrow(SvarInnError);
  });

  it('ignores trailing bytes after the structure, as OpenSSL does', () => {
    const payload = Buffer.concat([opensslEncrypt(zip), Buffer.alloc(8)]);
    expect(decryptSvarInnPayload(payload, pkcs8).equals(zip)).toBe(true);
  });

  it('says wrong-key, not a crash, when the payload was encrypted to another certificate', () => {
    const e = decryptError(opensslEncrypt(zip), otherKey);
    expect(e.kind).toBe('wrong-key');
    expect(e.retryable).toBe(false);
    const other = opensslEncrypt(zip, { cert: file('other-cert.pem') });
    expect(decryptError(other, pkcs8).kind).toBe('wrong-key');
  });

  it('says corrupt when the ciphertext is damaged (bad padding)', () => {
    const plaintext = randomBytes(100); // 7 blocks with 12 bytes of padding
    const payload = opensslEncrypt(plaintext, { der: true });
    // The ciphertext ends the DER payload. XOR the penultimate block's last byte with the padding value:
    // the last plaintext byte then decrypts to 0, which is never valid padding.
    const damaged = Buffer.from(payload);
    damaged[damaged.length - 17]! ^= 16 - (plaintext.length % 16);
    const e = decryptError(damaged, pkcs8);
    expect(e.kind).toBe('corrupt');
    expect(e.retryable).toBe(true);
  });

  it('says corrupt for a truncated payload and for bytes that are not CMS', () => {
    const payload = opensslEncrypt(large);
    expect(decryptError(payload.subarray(0, payload.length - 700), pkcs8).kind).toBe('corrupt');
    expect(decryptError(Buffer.from('<html>Service Unavailable</html>'), pkcs8).kind).toBe('corrupt');
  });

  it('refuses PKCS#1 v1.5 key transport with a clear message (OpenSSL default, never sent by SvarUt)', () => {
    const e = decryptError(opensslEncrypt(zip, { pkcs1: true }), pkcs8);
    expect(e.kind).toBe('protocol');
    expect(e.message).toMatch(/PKCS#1 v1\.5/);
  });
});
