// Digipost API v8 client, first version: entry point with certificate, signed multipart send with print
// fallback, verification of every signed response (digipost-api.md §1.4), typed errors.
import { createHash, createVerify, randomUUID, X509Certificate } from 'node:crypto';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { signedHeaders } from './signing';

const NS = 'http://api.digipost.no/schema/v8';
const V8 = 'application/vnd.digipost-v8+xml';

export class DigipostError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly httpStatus: number,
    readonly retryable: boolean,
  ) {
    super(`${code}: ${message}`);
  }
}

export interface PrintAddress {
  name: string;
  lines: string[];
  postalCode: string;
  city: string;
}

export interface SendRequest {
  messageId: string;
  documentUuid: string;
  subject: string;
  pdf: Uint8Array;
  nationalId: string;
  /** Print fallback: the recipient's postal address and the sender's return address. */
  print?: { recipient: PrintAddress; returnAddress: PrintAddress };
}

/** An open value: Digipost may add channels. */
export type Channel = 'DIGIPOST' | 'PRINT' | 'PEPPOL' | 'EPOST' | 'PENDING' | (string & {});

export interface SendResult {
  channel?: Channel;
  status?: string;
  /** True when Digipost answered DUPLICATE_MESSAGE: the message was accepted by an earlier attempt. */
  alreadyAccepted: boolean;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
});
const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@' });

const RETRYABLE_STATUS = new Set([500, 502, 503, 504]);

export class DigipostClient {
  private certificate?: X509Certificate;

  constructor(
    private readonly opts: { baseUrl: string; brokerId: string; privateKeyPem: string; fetch?: typeof fetch },
  ) {}

  private async entryPointCertificate(refresh = false): Promise<X509Certificate> {
    if (this.certificate && !refresh) return this.certificate;
    const { body } = await this.request('GET', '/', undefined, undefined, false);
    const pem = parser.parse(body.toString('utf8')).entrypoint?.certificate;
    if (!pem) throw new DigipostError('SERVER_ERROR', 'entry point has no certificate', 200, true);
    this.certificate = new X509Certificate(String(pem));
    return this.certificate;
  }

  private async request(
    method: string,
    path: string,
    body: Buffer | undefined,
    contentType: string | undefined,
    verifySignature = true,
  ): Promise<{ status: number; body: Buffer }> {
    const url = new URL(path, this.opts.baseUrl);
    const headers: Record<string, string> = {
      Accept: V8,
      'Accept-Encoding': 'identity',
      ...signedHeaders({
        method,
        url,
        body,
        userId: this.opts.brokerId,
        privateKeyPem: this.opts.privateKeyPem,
      }),
    };
    if (contentType) headers['Content-Type'] = contentType;
    let res: Response;
    try {
      res = await (this.opts.fetch ?? fetch)(url, {
        method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
      });
    } catch (e) {
      throw new DigipostError('CONNECTION_ERROR', (e as Error).message, 0, true);
    }
    const resBody = Buffer.from(await res.arrayBuffer());
    await this.verifyResponse(res, url.pathname, resBody, verifySignature);
    return { status: res.status, body: resBody };
  }

  private async verifyResponse(res: Response, path: string, body: Buffer, verifySignature: boolean) {
    const date = res.headers.get('date');
    if (!date || Math.abs(Date.now() - Date.parse(date)) > 5 * 60_000)
      throw new DigipostError(
        'SERVER_SIGNATURE_ERROR',
        'response Date missing or outside ±5 min',
        res.status,
        true,
      );
    const hash = res.headers.get('x-content-sha256');
    if (body.length > 0 && hash !== createHash('sha256').update(body).digest('base64'))
      throw new DigipostError(
        'SERVER_SIGNATURE_ERROR',
        'response X-Content-SHA256 missing or wrong',
        res.status,
        true,
      );
    if (!verifySignature) return;
    let canonical = `${res.status}\n${path.toLowerCase()}\ndate: ${date}\n`;
    if (hash) canonical += `x-content-sha256: ${hash}\n`;
    const signature = res.headers.get('x-digipost-signature') ?? '';
    const verify = (cert: X509Certificate) =>
      createVerify('RSA-SHA256').update(canonical, 'utf8').verify(cert.publicKey, signature, 'base64');
    if (!verify(await this.entryPointCertificate()) && !verify(await this.entryPointCertificate(true)))
      throw new DigipostError(
        'SERVER_SIGNATURE_ERROR',
        'response signature does not verify',
        res.status,
        true,
      );
  }

  private errorFrom(status: number, body: Buffer): DigipostError {
    const e = parser.parse(body.toString('utf8'))?.error ?? {};
    const code = String(e['error-code'] ?? (status >= 500 ? 'SERVER_ERROR' : 'GENERAL_ERROR'));
    return new DigipostError(
      code,
      String(e['error-message'] ?? `HTTP ${status}`),
      status,
      RETRYABLE_STATUS.has(status),
    );
  }

  /** Document status (§7), at the path the official client hard-codes. */
  async documentStatus(documentUuid: string): Promise<{ status: string; channel?: Channel }> {
    await this.entryPointCertificate();
    const res = await this.request(
      'GET',
      `/documents/${this.opts.brokerId}/${documentUuid}/status`,
      undefined,
      undefined,
    );
    if (res.status !== 200) throw this.errorFrom(res.status, res.body);
    const d = parser.parse(res.body.toString('utf8'))['document-status'] ?? {};
    return { status: String(d['@status']), channel: d['@channel'] };
  }

  async send(req: SendRequest): Promise<SendResult> {
    await this.entryPointCertificate();
    const address = (a: PrintAddress) => ({
      name: a.name,
      'norwegian-address': {
        ...Object.fromEntries(a.lines.slice(0, 3).map((l, i) => [`addressline${i + 1}`, l])),
        'zip-code': a.postalCode,
        city: a.city,
      },
    });
    const message = {
      message: {
        '@xmlns': NS,
        'message-id': req.messageId,
        recipient: {
          'personal-identification-number': req.nationalId,
          ...(req.print
            ? {
                'print-details': {
                  recipient: address(req.print.recipient),
                  'return-address': address(req.print.returnAddress),
                },
              }
            : {}),
        },
        'primary-document': { uuid: req.documentUuid, subject: req.subject, 'file-type': 'pdf' },
      },
    };
    const xml = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' + builder.build(message);
    const boundary = randomUUID();
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: attachment; filename="message"\r\n` +
          `Content-Type: ${V8}; charset=UTF-8\r\n\r\n${xml}\r\n` +
          `--${boundary}\r\nContent-Disposition: attachment; filename="${req.documentUuid}"\r\n` +
          `Content-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.from(req.pdf),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await this.request(
      'POST',
      '/messages',
      body,
      `multipart/vnd.digipost-v8+xml; boundary=${boundary}`,
    );
    if (res.status >= 200 && res.status < 300) {
      const d = parser.parse(res.body.toString('utf8'))['message-delivery'] ?? {};
      return { channel: d['delivery-method'], status: d.status, alreadyAccepted: false };
    }
    const err = this.errorFrom(res.status, res.body);
    if (err.code === 'DUPLICATE_MESSAGE') return { alreadyAccepted: true };
    throw err;
  }
}
