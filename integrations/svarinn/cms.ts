// Decryption of SvarInn downloads (svarinn-api.md §4.2, §4.2.1, §4.4): CMS EnvelopedData with one
// KeyTransRecipientInfo, RSAES-OAEP (SHA-256, MGF1-SHA-256, empty label) key transport and AES-256-CBC
// content, BER indefinite-length encoded with the encrypted content in chunks that split AES blocks.
//
// Why PKI.js only parses and node:crypto decrypts: PKI.js (with asn1js) reads BER indefinite length and joins
// the constructed [0] chunks, so the structure is read by a maintained library. Its own
// EnvelopedData.decrypt() goes through WebCrypto, which is asynchronous and accepts only PKCS#8 keys, while
// real keys come as PKCS#1 and PKCS#8 PEM (and PKCS#12, see keys.ts). node:crypto does both steps synchronously
// and reads every PEM form; `oaepHash: 'sha256'` is required (the SHA-1 default fails on SvarUt files).
import { createDecipheriv, createPrivateKey, privateDecrypt, constants, type KeyObject } from 'node:crypto';
import * as asn1js from 'asn1js';
import * as pkijs from 'pkijs';
import { SvarInnError } from './errors';

const OID = {
  envelopedData: '1.2.840.113549.1.7.3',
  rsaesOaep: '1.2.840.113549.1.1.7',
  rsaEncryption: '1.2.840.113549.1.1.1',
  mgf1: '1.2.840.113549.1.1.8',
  sha1: '1.3.14.3.2.26',
  sha256: '2.16.840.1.101.3.4.2.1',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
} as const;

// A structure that cannot be read is the same on every download: never retried. Only a ciphertext that does
// not decrypt (bad padding) may come from a damaged transfer, so that alone is retryable.
const corrupt = (message: string, cause?: unknown) =>
  new SvarInnError('corrupt', `SvarInn payload is not a readable CMS EnvelopedData: ${message}`, {
    cause,
    retryable: false,
  });
const badCiphertext = (message: string, cause?: unknown) =>
  new SvarInnError('corrupt', `SvarInn payload does not decrypt: ${message}`, { cause });
const unsupported = (message: string) =>
  new SvarInnError('protocol', `SvarInn payload uses an unsupported algorithm: ${message}`);

function toKey(privateKey: string | KeyObject): KeyObject {
  if (typeof privateKey !== 'string') return privateKey;
  try {
    return createPrivateKey(privateKey);
  } catch (cause) {
    throw new SvarInnError(
      'wrong-key',
      'the SvarInn private key could not be read (expected PKCS#1 or PKCS#8 PEM)',
      {
        cause,
      },
    );
  }
}

/** The OAEP hash named by RSAES-OAEP-params (RFC 4055); SvarUt always uses SHA-256 with MGF1-SHA-256. */
function oaepHashOf(params: unknown): 'sha256' {
  if (!(params instanceof asn1js.Sequence)) throw unsupported('RSAES-OAEP without parameters means SHA-1');
  const oaep = new pkijs.RSAESOAEPParams({ schema: params });
  const hash = oaep.hashAlgorithm.algorithmId;
  const mgf = oaep.maskGenAlgorithm;
  const mgfHash =
    mgf.algorithmParams instanceof asn1js.Sequence
      ? new pkijs.AlgorithmIdentifier({ schema: mgf.algorithmParams }).algorithmId
      : undefined;
  if (hash !== OID.sha256 || mgf.algorithmId !== OID.mgf1 || mgfHash !== OID.sha256)
    throw unsupported(`RSAES-OAEP with hash ${hash} and mask generation ${mgf.algorithmId}/${mgfHash}`);
  // Only an encoded [2] pSourceAlgorithm can carry a label. PKI.js fills in a default when it is absent
  // (and that default holds SHA-1 of the empty string, not an empty label), so look at the encoding itself.
  const pSourceEncoded = params.valueBlock.value.some(
    (v) => v.idBlock.tagClass === 3 && v.idBlock.tagNumber === 2,
  );
  if (pSourceEncoded && oaep.pSourceAlgorithm.algorithmParams instanceof asn1js.OctetString) {
    const label = oaep.pSourceAlgorithm.algorithmParams.getValue();
    if (label.byteLength > 0) throw unsupported('RSAES-OAEP with a non-empty label');
  }
  return 'sha256';
}

/**
 * Decrypts one SvarInn download (the CMS bytes) with the receiving system's private key and returns the
 * plaintext: a ZIP of the files, or a single PDF. Trailing bytes after the structure are ignored, as
 * OpenSSL does. Throws SvarInnError, whatever the input: `wrong-key` when the key does not open the content
 * key, `corrupt` when the structure (not retryable) or the ciphertext (retryable) is damaged, `protocol` for
 * algorithms SvarUt does not use.
 */
export function decryptSvarInnPayload(der: Uint8Array, privateKeyPem: string | KeyObject): Buffer {
  try {
    return decrypt(der, privateKeyPem);
  } catch (cause) {
    // PKI.js and asn1js throw plain errors (or worse) on shapes their schemas do not foresee.
    if (cause instanceof SvarInnError) throw cause;
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }
}

function decrypt(der: Uint8Array, privateKeyPem: string | KeyObject): Buffer {
  const key = toKey(privateKeyPem);
  const bytes = new Uint8Array(der.buffer, der.byteOffset, der.byteLength);
  // asn1js's defaults are guards for untrusted small inputs that real downloads exceed: at most 10 000 nodes
  // (a 10 MB file in 1000-byte chunks has more) and 16 MB of content, and it tries to parse every OCTET
  // STRING's content as nested ASN.1 (slow on ciphertext). Bound both limits by the input size instead.
  const parsed = asn1js.fromBER(bytes, {
    maxNodes: Math.ceil(bytes.byteLength / 2) + 16,
    maxContentLength: bytes.byteLength,
    parseEmbedded: false,
    copyInput: false,
  });
  if (parsed.offset === -1) throw corrupt(parsed.result.error || 'BER decoding failed');

  let enveloped: pkijs.EnvelopedData;
  try {
    const info = new pkijs.ContentInfo({ schema: parsed.result });
    if (info.contentType !== OID.envelopedData) throw corrupt(`content type ${info.contentType}`);
    enveloped = new pkijs.EnvelopedData({ schema: info.content });
  } catch (cause) {
    if (cause instanceof SvarInnError) throw cause;
    throw corrupt(cause instanceof Error ? cause.message : String(cause), cause);
  }

  const recipient = enveloped.recipientInfos[0];
  if (enveloped.recipientInfos.length !== 1 || !recipient || recipient.variant !== 1)
    throw unsupported('expected exactly one key transport recipient');
  const ktri = recipient.value as pkijs.KeyTransRecipientInfo;
  const keyAlg = ktri.keyEncryptionAlgorithm;
  if (keyAlg.algorithmId === OID.rsaEncryption)
    throw unsupported('PKCS#1 v1.5 key transport (SvarUt uses RSAES-OAEP; Node refuses v1.5 decryption)');
  if (keyAlg.algorithmId !== OID.rsaesOaep) throw unsupported(`key transport ${keyAlg.algorithmId}`);
  const oaepHash = oaepHashOf(keyAlg.algorithmParams);

  let contentKey: Buffer;
  try {
    contentKey = privateDecrypt(
      { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
      Buffer.from(ktri.encryptedKey.getValue()),
    );
  } catch (cause) {
    throw new SvarInnError(
      'wrong-key',
      'the private key does not open this SvarInn download (encrypted to another certificate)',
      { cause },
    );
  }

  const eci = enveloped.encryptedContentInfo;
  const contentAlg = eci.contentEncryptionAlgorithm;
  if (contentAlg.algorithmId !== OID.aes256cbc) throw unsupported(`content cipher ${contentAlg.algorithmId}`);
  if (!(contentAlg.algorithmParams instanceof asn1js.OctetString)) throw corrupt('AES-256-CBC without an IV');
  const iv = Buffer.from(contentAlg.algorithmParams.getValue());
  if (iv.length !== 16) throw corrupt(`IV of ${iv.length} bytes`);
  if (contentKey.length !== 32) throw corrupt(`content key of ${contentKey.length} bytes for AES-256`);
  if (!eci.encryptedContent) throw corrupt('no encrypted content (detached content is not used by SvarUt)');
  // Chunks are joined before decryption: 1000-byte chunks split AES blocks (§4.2.1).
  const ciphertext = Buffer.from(eci.getEncryptedContent());

  try {
    const decipher = createDecipheriv('aes-256-cbc', contentKey, iv);
    return Buffer.concat([decipher.update(ciphertext), decipher.final()]);
  } catch (cause) {
    throw badCiphertext('the encrypted content does not decrypt (bad padding or truncated)', cause);
  }
}
