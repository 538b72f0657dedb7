import { describe, expect, it } from 'vitest';
import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultPayloadConverter, type Payload } from '@temporalio/common';
import { loadEnv } from '../config/env';
import { EncryptionCodec, generateKeySpec, parseKeyring } from './codec';
import { dataConverterFor, keyringFor } from './data-converter';
import {
  decodeFailure,
  encodeErrorToFailure,
  loadDataConverter,
} from '@temporalio/common/lib/internal-non-workflow';

const NATIONAL_ID = '01019010046';
const input = { letterId: 'a1', recipient: { nationalId: NATIONAL_ID, address: 'Storgata 1' } };
const payloadOf = (value: unknown) => defaultPayloadConverter.toPayload(value);
const valueOf = (p: Payload) => defaultPayloadConverter.fromPayload(p);
const metadataText = (p: Payload, key: string) => new TextDecoder().decode(p.metadata?.[key]);

describe('EncryptionCodec', () => {
  const k1 = generateKeySpec('k1');
  const k0 = generateKeySpec('k0');

  it('round-trips payloads, with the key id and encoding in the metadata and no clear text', async () => {
    const codec = new EncryptionCodec(parseKeyring(k1));
    const [encrypted] = await codec.encode([payloadOf(input)]);
    expect(metadataText(encrypted!, 'encoding')).toBe('binary/encrypted');
    expect(metadataText(encrypted!, 'encryption-key-id')).toBe('k1');
    expect(Buffer.from(encrypted!.data!).toString('latin1')).not.toContain(NATIONAL_ID);
    const [decoded] = await codec.decode([encrypted!]);
    expect(metadataText(decoded!, 'encoding')).toBe('json/plain');
    expect(valueOf(decoded!)).toEqual(input);
  });

  it('uses a fresh IV per payload, so equal inputs give different ciphertexts', async () => {
    const codec = new EncryptionCodec(parseKeyring(k1));
    const [a, b] = await codec.encode([payloadOf(input), payloadOf(input)]);
    expect(Buffer.from(a!.data!).equals(Buffer.from(b!.data!))).toBe(false);
  });

  it('rejects a payload whose ciphertext or key id was altered', async () => {
    const codec = new EncryptionCodec(parseKeyring(`${k1},${k0}`));
    const [encrypted] = await codec.encode([payloadOf(input)]);
    const flipped = Buffer.from(encrypted!.data!);
    flipped[20] = flipped[20]! ^ 1;
    await expect(codec.decode([{ ...encrypted!, data: flipped }])).rejects.toThrow(/failed authentication/);
    // The key id is authenticated data: relabelling the payload with another known key fails too.
    const relabelled = {
      ...encrypted!,
      metadata: { ...encrypted!.metadata, 'encryption-key-id': new TextEncoder().encode('k0') },
    };
    await expect(codec.decode([relabelled])).rejects.toThrow(/failed authentication/);
  });

  it('names an unknown key id clearly', async () => {
    const [encrypted] = await new EncryptionCodec(parseKeyring(k1)).encode([payloadOf(input)]);
    await expect(new EncryptionCodec(parseKeyring(k0)).decode([encrypted!])).rejects.toThrow(
      'encrypted payload uses key id "k1", which is not configured (known: k0)',
    );
  });

  it('rotates: the new active key encrypts, payloads under the old key still decode', async () => {
    const [old] = await new EncryptionCodec(parseKeyring(k0)).encode([payloadOf(input)]);
    const rotated = new EncryptionCodec(parseKeyring(`${k1},${k0}`, 'k1'));
    const [fresh] = await rotated.encode([payloadOf(input)]);
    expect(metadataText(fresh!, 'encryption-key-id')).toBe('k1');
    const decoded = await rotated.decode([old!, fresh!]);
    expect(decoded.map(valueOf)).toEqual([input, input]);
  });

  it('passes payloads that were never encrypted through unchanged', async () => {
    const plain = payloadOf('hello');
    const [decoded] = await new EncryptionCodec(parseKeyring(k1)).decode([plain]);
    expect(valueOf(decoded!)).toBe('hello');
  });
});

describe('codec keys from configuration', () => {
  it('refuses malformed keys, short keys, an unknown active key, and production without keys', () => {
    expect(() => parseKeyring('k1')).toThrow(/expected "kid1:base64/);
    expect(() => parseKeyring(`k1:${Buffer.alloc(16).toString('base64')}`)).toThrow(/not 32 bytes/);
    expect(() => parseKeyring(generateKeySpec('k1'), 'k9')).toThrow(/"k9" is not among/);
    expect(() => loadEnv({ NODE_ENV: 'production' })).toThrow(/PAYLOAD_CODEC_KEYS: required in production/);
    expect(() =>
      loadEnv({ PAYLOAD_CODEC_KEYS: generateKeySpec('k1'), PAYLOAD_CODEC_ACTIVE_KEY: 'k2' }),
    ).toThrow(/PAYLOAD_CODEC_ACTIVE_KEY: must be one of the key ids/);
    expect(() => loadEnv({ PAYLOAD_CODEC_KEYS: 'k1:c2hvcnQ=' })).toThrow(/32 bytes/);
  });

  it('outside production generates one local key file (mode 600) and reuses it', () => {
    const file = join(mkdtempSync(join(tmpdir(), 'codec-')), 'nested', 'key');
    const env = loadEnv({ NODE_ENV: 'test', PAYLOAD_CODEC_KEY_FILE: file });
    const first = keyringFor(env);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const second = keyringFor(env);
    expect(second.activeKeyId).toBe(first.activeKeyId);
    expect(second.keys.get(second.activeKeyId)!.equals(first.keys.get(first.activeKeyId)!)).toBe(true);
  });
});

describe('dataConverterFor', () => {
  it('encrypts error messages and stack traces too, so a failure quoting a national id stays private', async () => {
    const keyring = parseKeyring(generateKeySpec('k1'));
    const loaded = loadDataConverter(dataConverterFor(keyring));
    const codecs = loaded.payloadCodecs;
    const failure = await encodeErrorToFailure(loaded, new Error(`no mailbox for ${NATIONAL_ID}`));
    expect(failure.message).toBe('Encoded failure');
    expect(JSON.stringify(failure)).not.toContain(NATIONAL_ID);
    expect(Buffer.from(failure.encodedAttributes!.data!).toString('latin1')).not.toContain(NATIONAL_ID);
    const decoded = await decodeFailure(codecs, failure);
    const error = loaded.failureConverter.failureToError(decoded, loaded.payloadConverter);
    expect(error.message).toBe(`no mailbox for ${NATIONAL_ID}`);
  });
});
