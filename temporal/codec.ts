// The payload codec: every payload that reaches Temporal (workflow and activity inputs and results, signals,
// queries, memos) is encrypted with AES-256-GCM, so national ids and addresses never sit in Temporal's history
// in clear text. Format of an encrypted payload:
//   metadata.encoding            = "binary/encrypted"
//   metadata["encryption-key-id"] = the key id (also bound to the ciphertext as additional authenticated data)
//   data                         = 12-byte random IV ‖ ciphertext ‖ 16-byte GCM tag
// The plaintext is the original payload (metadata and data) serialised as protobuf, so decoding restores it
// exactly. Several keys may be known for decoding (key rotation); one, the active key, encrypts.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { METADATA_ENCODING_KEY, type Payload, type PayloadCodec } from '@temporalio/common';
import proto from '@temporalio/proto';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA_KEY = 'encryption-key-id';

const ALGORITHM = 'aes-256-gcm';
const IV_BYTES = 12;
const TAG_BYTES = 16;

export interface Keyring {
  /** The key id new payloads are encrypted with. */
  activeKeyId: string;
  /** Every key that may decrypt, by key id (the active one included). */
  keys: ReadonlyMap<string, Buffer>;
}

/** Parses `kid1:base64,kid0:base64`; the active key defaults to the first one listed. */
export function parseKeyring(spec: string, activeKeyId?: string): Keyring {
  const keys = new Map<string, Buffer>();
  for (const entry of spec.split(',')) {
    const [kid, base64, ...rest] = entry.trim().split(':');
    if (!kid || !base64 || rest.length > 0 || !/^[\w-]+$/.test(kid))
      throw new Error('payload codec keys: expected "kid1:base64,kid0:base64"');
    const key = Buffer.from(base64, 'base64');
    if (key.length !== 32) throw new Error(`payload codec key "${kid}" is not 32 bytes (AES-256)`);
    if (keys.has(kid)) throw new Error(`payload codec key id "${kid}" appears twice`);
    keys.set(kid, key);
  }
  const active = activeKeyId ?? keys.keys().next().value;
  if (!active || !keys.has(active))
    throw new Error(`payload codec active key "${active}" is not among the configured keys`);
  return { activeKeyId: active, keys };
}

/** A new random 32-byte key as `kid:base64`, for a local keyring or for rotation in production. */
export function generateKeySpec(kid: string): string {
  return `${kid}:${randomBytes(32).toString('base64')}`;
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? new TextDecoder().decode(b) : undefined);

export class EncryptionCodec implements PayloadCodec {
  constructor(private readonly keyring: Keyring) {}

  async encode(payloads: Payload[]): Promise<Payload[]> {
    const kid = this.keyring.activeKeyId;
    const key = this.keyring.keys.get(kid)!;
    return payloads.map((payload) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv(ALGORITHM, key, iv);
      cipher.setAAD(Buffer.from(kid));
      const plain = proto.temporal.api.common.v1.Payload.encode(payload).finish();
      const sealed = Buffer.concat([iv, cipher.update(plain), cipher.final(), cipher.getAuthTag()]);
      return {
        metadata: { [METADATA_ENCODING_KEY]: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA_KEY]: utf8(kid) },
        data: new Uint8Array(sealed),
      };
    });
  }

  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((payload) => {
      // Payloads written before encryption was switched on pass through unchanged.
      if (text(payload.metadata?.[METADATA_ENCODING_KEY]) !== ENCRYPTED_ENCODING) return payload;
      const kid = text(payload.metadata?.[KEY_ID_METADATA_KEY]);
      if (!kid) throw new Error('encrypted payload has no encryption-key-id');
      const key = this.keyring.keys.get(kid);
      if (!key)
        throw new Error(
          `encrypted payload uses key id "${kid}", which is not configured (known: ${[...this.keyring.keys.keys()].join(', ')})`,
        );
      const sealed = Buffer.from(payload.data ?? new Uint8Array());
      if (sealed.length < IV_BYTES + TAG_BYTES) throw new Error('encrypted payload is truncated');
      const decipher = createDecipheriv(ALGORITHM, key, sealed.subarray(0, IV_BYTES));
      decipher.setAAD(Buffer.from(kid));
      decipher.setAuthTag(sealed.subarray(sealed.length - TAG_BYTES));
      let plain: Buffer;
      try {
        plain = Buffer.concat([
          decipher.update(sealed.subarray(IV_BYTES, sealed.length - TAG_BYTES)),
          decipher.final(),
        ]);
      } catch {
        throw new Error(`encrypted payload (key id "${kid}") failed authentication: altered or wrong key`);
      }
      return proto.temporal.api.common.v1.Payload.decode(plain);
    });
  }
}
