// How the simulator encrypts a download, the way SvarUt does (svarinn-api.md §4.2, §4.2.1, §11): CMS
// EnvelopedData to the receiving system's certificate, one KeyTransRecipientInfo identified by issuer and
// serial number, RSAES-OAEP with SHA-256 and MGF1-SHA-256 (hash identifiers with an explicit NULL, no label),
// AES-256-CBC with a 16-byte IV, BER indefinite length on the five outer items and the encrypted content in
// 1000-byte OCTET STRING chunks. Written here on its own from the spec, not shared with the client
// (CONVENTIONS #11): the BER is assembled byte by byte, the certificate is read with asn1js.
import { constants, createCipheriv, publicEncrypt, randomBytes, X509Certificate } from 'node:crypto';
import * as asn1js from 'asn1js';

/** Faults and options for one download's encryption. */
export interface EnvelopeOptions {
  /** 'ber' (default): indefinite length and chunks as SvarUt sends; 'der': definite length, for comparison. */
  encoding?: 'ber' | 'der';
  /** Size of the encrypted-content chunks in BER mode. SvarUt uses 1000 for larger files. */
  chunkSize?: number;
  /** Break the CBC padding so the content cannot be decrypted (a corrupted download). */
  corruptPadding?: boolean;
  /** Legacy PKCS#1 v1.5 key transport, as `openssl smime` defaults make (never sent by real KS). */
  pkcs1KeyTransport?: boolean;
  /** Bytes appended after the structure (one real sample has 8 zero bytes). */
  trailingBytes?: number;
}

const OIDS = {
  envelopedData: '1.2.840.113549.1.7.3',
  data: '1.2.840.113549.1.7.1',
  rsaesOaep: '1.2.840.113549.1.1.7',
  rsaEncryption: '1.2.840.113549.1.1.1',
  mgf1: '1.2.840.113549.1.1.8',
  sha256: '2.16.840.1.101.3.4.2.1',
  aes256cbc: '2.16.840.1.101.3.4.1.42',
};

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let v = n; v > 0; v = Math.floor(v / 256)) bytes.unshift(v & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

/** Definite-length TLV. */
const tlv = (tag: number, ...content: Buffer[]) => {
  const body = Buffer.concat(content);
  return Buffer.concat([Buffer.from([tag]), length(body.length), body]);
};
const EOC = Buffer.from([0, 0]);

function oid(dotted: string): Buffer {
  const [a = 0, b = 0, ...rest] = dotted.split('.').map(Number);
  const out = [40 * a + b];
  for (const arc of rest) {
    const septets = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) septets.unshift((v & 0x7f) | 0x80);
    out.push(...septets);
  }
  return tlv(0x06, Buffer.from(out));
}

const SEQ = 0x30;
const SET = 0x31;
const INT0 = Buffer.from([0x02, 0x01, 0x00]);
const NULL = Buffer.from([0x05, 0x00]);
const octets = (b: Buffer) => tlv(0x04, b);

/** The issuer Name and serialNumber of a certificate, as their DER bytes (for IssuerAndSerialNumber). */
function issuerAndSerial(certificatePem: string): Buffer {
  const der = new X509Certificate(certificatePem).raw;
  const cert = asn1js.fromBER(new Uint8Array(der));
  const tbs = (cert.result as asn1js.Sequence).valueBlock.value[0] as asn1js.Sequence;
  const fields = tbs.valueBlock.value;
  // TBSCertificate: [0] version (optional), serialNumber, signature, issuer, ...
  const start = fields[0]?.idBlock.tagClass === 3 ? 1 : 0;
  const encoded = (block: asn1js.AsnType | undefined) => {
    if (!block) throw new Error('certificate has no issuer/serial');
    return Buffer.from(block.toBER(false));
  };
  return tlv(SEQ, encoded(fields[start + 2]), encoded(fields[start]));
}

function keyTransport(certificatePem: string, contentKey: Buffer, pkcs1: boolean): Buffer {
  const publicKey = new X509Certificate(certificatePem).publicKey;
  if (pkcs1) {
    const encryptedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_PADDING }, contentKey);
    return tlv(
      SEQ,
      INT0,
      issuerAndSerial(certificatePem),
      tlv(SEQ, oid(OIDS.rsaEncryption), NULL),
      octets(encryptedKey),
    );
  }
  const encryptedKey = publicEncrypt(
    { key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' },
    contentKey,
  );
  const sha256 = tlv(SEQ, oid(OIDS.sha256), NULL);
  const oaepParams = tlv(SEQ, tlv(0xa0, sha256), tlv(0xa1, tlv(SEQ, oid(OIDS.mgf1), sha256)));
  return tlv(
    SEQ,
    INT0,
    issuerAndSerial(certificatePem),
    tlv(SEQ, oid(OIDS.rsaesOaep), oaepParams),
    octets(encryptedKey),
  );
}

function encryptContent(plaintext: Buffer, key: Buffer, iv: Buffer, corruptPadding: boolean): Buffer {
  if (!corruptPadding) {
    const cipher = createCipheriv('aes-256-cbc', key, iv);
    return Buffer.concat([cipher.update(plaintext), cipher.final()]);
  }
  // Padding whose last byte is 0 is never valid PKCS#7: decryption must fail.
  const pad = 16 - (plaintext.length % 16);
  const cipher = createCipheriv('aes-256-cbc', key, iv).setAutoPadding(false);
  return Buffer.concat([cipher.update(Buffer.concat([plaintext, Buffer.alloc(pad, 0)])), cipher.final()]);
}

/**
 * The CMS bytes of one download, in pieces as they would be streamed (BER) or as one piece (DER).
 * `certificatePem` is the receiving system's certificate as uploaded to SvarUt.
 */
export function* envelope(
  plaintext: Buffer,
  certificatePem: string,
  opts: EnvelopeOptions = {},
): Generator<Buffer> {
  const contentKey = randomBytes(32);
  const iv = randomBytes(16);
  const recipient = keyTransport(certificatePem, contentKey, opts.pkcs1KeyTransport ?? false);
  const contentAlg = tlv(SEQ, oid(OIDS.aes256cbc), octets(iv));
  const ciphertext = encryptContent(plaintext, contentKey, iv, opts.corruptPadding ?? false);
  const trailer = Buffer.alloc(opts.trailingBytes ?? 0);

  if (opts.encoding === 'der') {
    const eci = tlv(SEQ, oid(OIDS.data), contentAlg, tlv(0x80, ciphertext));
    const enveloped = tlv(SEQ, INT0, tlv(SET, recipient), eci);
    yield Buffer.concat([tlv(SEQ, oid(OIDS.envelopedData), tlv(0xa0, enveloped)), trailer]);
    return;
  }
  // ContentInfo, [0], EnvelopedData, EncryptedContentInfo and [0] encryptedContent: indefinite length.
  yield Buffer.concat([
    Buffer.from([SEQ, 0x80]),
    oid(OIDS.envelopedData),
    Buffer.from([0xa0, 0x80]),
    Buffer.from([SEQ, 0x80]),
    INT0,
    tlv(SET, recipient),
    Buffer.from([SEQ, 0x80]),
    oid(OIDS.data),
    contentAlg,
    Buffer.from([0xa0, 0x80]),
  ]);
  const chunkSize = opts.chunkSize ?? 1000;
  for (let at = 0; at < ciphertext.length; at += chunkSize)
    yield octets(ciphertext.subarray(at, at + chunkSize));
  yield Buffer.concat([EOC, EOC, EOC, EOC, EOC, trailer]);
}

/** Downloads that are not a readable CMS EnvelopedData, each in its own way (fault injection). */
export type MalformedShape =
  /** No body at all. */
  | 'empty'
  /** Bytes that are not BER (an HTML error page served with 200). */
  | 'not-ber'
  /** A ContentInfo of another type (plain `data`). */
  | 'not-enveloped'
  /** EnvelopedData with an empty RecipientInfos set. */
  | 'no-recipients'
  /** RSAES-OAEP parameters that are not RSAES-OAEP-params. */
  | 'bad-oaep-params'
  /** EncryptedContentInfo without the encrypted content. */
  | 'no-encrypted-content'
  /** A whole structure cut in the middle, sent as a complete response. */
  | 'cut-structure';

export function malformedEnvelope(shape: MalformedShape, plaintext: Buffer, certificatePem: string): Buffer {
  const contentKey = randomBytes(32);
  const iv = randomBytes(16);
  const contentAlg = tlv(SEQ, oid(OIDS.aes256cbc), octets(iv));
  const ciphertext = encryptContent(plaintext, contentKey, iv, false);
  const info = (enveloped: Buffer) => tlv(SEQ, oid(OIDS.envelopedData), tlv(0xa0, enveloped));
  const eci = tlv(SEQ, oid(OIDS.data), contentAlg, tlv(0x80, ciphertext));
  const recipient = keyTransport(certificatePem, contentKey, false);
  switch (shape) {
    case 'empty':
      return Buffer.alloc(0);
    case 'not-ber':
      return Buffer.from('<html><body>Service Unavailable</body></html>');
    case 'not-enveloped':
      return tlv(SEQ, oid(OIDS.data), tlv(0xa0, octets(ciphertext)));
    case 'no-recipients':
      return info(tlv(SEQ, INT0, tlv(SET), eci));
    case 'bad-oaep-params': {
      const encryptedKey = publicEncrypt(
        { key: new X509Certificate(certificatePem).publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING },
        contentKey,
      );
      const params = tlv(SEQ, tlv(0xa0, Buffer.from([0x02, 0x01, 0x05])), tlv(0xa1, octets(iv)));
      const ktri = tlv(
        SEQ,
        INT0,
        issuerAndSerial(certificatePem),
        tlv(SEQ, oid(OIDS.rsaesOaep), params),
        octets(encryptedKey),
      );
      return info(tlv(SEQ, INT0, tlv(SET, ktri), eci));
    }
    case 'no-encrypted-content':
      return info(tlv(SEQ, INT0, tlv(SET, recipient), tlv(SEQ, oid(OIDS.data), contentAlg)));
    case 'cut-structure': {
      const whole = Buffer.concat([...envelope(plaintext, certificatePem)]);
      return whole.subarray(0, Math.floor(whole.length / 2));
    }
  }
}
