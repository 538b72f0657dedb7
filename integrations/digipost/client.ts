// Digipost API v8 client (digipost-api.md; §15 wins): discovers URIs from the entry point by link relation,
// signs every request (signing.ts), verifies every response against the entry point's certificate (cached,
// re-fetched once when a signature does not verify), and maps Digipost's error codes to DigipostError.
// Identification, sending (print fallback, direct print, print-if-unread, batches), document status, document
// events and the batch API. Codes, channels, statuses and event types are open values.
import {
  createHash,
  createPrivateKey,
  createVerify,
  randomUUID,
  X509Certificate,
  type KeyObject,
} from 'node:crypto';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { signedHeaders } from './signing';
import { DigipostError } from './errors';

export { DigipostError, DIGIPOST_ERROR_TYPES, isRetryable } from './errors';
export type { DigipostErrorCode, DigipostErrorType, KnownDigipostErrorCode } from './errors';
export { loadDigipostKey } from './keys';

const NS = 'http://api.digipost.no/schema/v8';
const V8 = 'application/vnd.digipost-v8+xml';
const MAX_SKEW_MS = 5 * 60_000;

export interface PrintAddress {
  name: string;
  lines: string[];
  postalCode: string;
  city: string;
}

export interface SendRequest {
  /** Idempotency key: reuse it when retrying the same letter (§5.2). */
  messageId: string;
  documentUuid: string;
  subject: string;
  pdf: Uint8Array;
  /** The recipient: a person by national id, or an organisation by organisation number (exactly one). */
  nationalId?: string;
  orgNumber?: string;
  /** Further PDFs in the same message, in this order, after the primary document (§4.2, §4.4). */
  attachments?: { documentUuid: string; subject: string; pdf: Uint8Array }[];
  /** Print fallback: the recipient's postal address and the sender's return address. */
  print?: {
    recipient: PrintAddress;
    returnAddress: PrintAddress;
    nondeliverableHandling?: 'RETURN_TO_SENDER' | 'SHRED';
  };
  /** Adds the message to a batch created with createBatch (§9). */
  batchUuid?: string;
  /** Deliver digitally; print (with `print`'s addresses) if still unread after this many days. */
  printIfUnread?: { afterDays: number };
  /** Straight to print with `print`'s addresses, the national id is not sent (§4.3). */
  directPrint?: boolean;
}

/** An open value: Digipost may add channels. */
export type Channel = 'DIGIPOST' | 'PRINT' | 'PEPPOL' | 'EPOST' | 'PENDING' | (string & {});

export interface SendResult {
  channel?: Channel;
  /** NOT_COMPLETE | COMPLETE | DELIVERED | DELIVERED_TO_PRINT, open. */
  status?: string;
  deliveryTime?: string;
  /** True when Digipost answered DUPLICATE_MESSAGE: the message was accepted by an earlier attempt. */
  alreadyAccepted: boolean;
}

export type IdentificationResult = 'DIGIPOST' | 'IDENTIFIED' | 'UNIDENTIFIED' | 'INVALID' | (string & {});

export interface Identification {
  result: IdentificationResult;
  personAlias?: string;
  digipostAddress?: string;
  /** unidentified-reason or invalid-reason. */
  reason?: string;
}

export interface DocumentStatus {
  /** DELIVERED | NOT_DELIVERED, open. */
  status: string;
  channel?: Channel;
  created?: string;
  delivered?: string;
  /** 'Y' | 'N', only with an opening receipt. */
  read?: string;
}

export type BatchStatus = 'CREATED' | 'NOT_COMMITTED' | 'COMMITTED' | 'DONE' | (string & {});

export interface Batch {
  uuid: string;
  status: BatchStatus;
  countDigipost: number;
  countPrint: number;
}

export interface DocumentEvent {
  /** The document's uuid. */
  uuid: string;
  /** OPENED, POSTMARKED, PRINT_FAILED, SHREDDED, … and any type Digipost adds. */
  type: string;
  created: string;
  documentCreated?: string;
  /** The metadata element's attributes, e.g. `postmarked-date`, `error-code`. */
  metadata?: Record<string, string>;
  /** The metadata's `xsi:type`, e.g. `postmarked-metadata`. */
  metadataType?: string;
}

export interface DigipostClientOptions {
  /** https://api.digipost.no (production), https://api.test.digipost.no (test), or a simulator. */
  baseUrl: string;
  /** The broker's Digipost account id (X-Digipost-UserId), not the organisation number. */
  brokerId: string;
  /** PKCS#8 or PKCS#1 PEM; see loadDigipostKey for PKCS#12 files. */
  privateKeyPem: string;
  /** Send on behalf of this sender (needs Digipost's broker authorisation); default: the broker itself. */
  senderId?: string;
  fetch?: typeof fetch;
  /** Per request; a timeout is a retryable CONNECTION_ERROR. Default 60 s. */
  timeoutMs?: number;
  /** How long the entry point (certificate and links) is cached. Default 10 min. */
  entryPointTtlMs?: number;
  /**
   * The business clock: times written into messages (the print-if-unread deadline). Default: the wall clock.
   * Request signing and the response `Date` check always use the wall clock, as Digipost does (§1.2).
   */
  now?: () => Date;
}

interface EntryPoint {
  certificate: X509Certificate;
  /** Relation name (last path segment of `rel`, upper-cased) → URI. */
  links: Map<string, string>;
  fetchedAt: number;
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'link' || name === 'event',
});
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressBooleanAttributes: false,
});

// Parsed XML is untyped by nature; each field used is read as a string where it is used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Xml = Record<string, any>;

const xmlDocument = (root: string, content: Xml) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  builder.build({ [root]: { '@xmlns': NS, ...content } });

const str = (v: unknown): string | undefined => (v === undefined || v === null ? undefined : String(v));

/** `yyyy-MM-dd'T'HH:mm:ss.SSSxxx` as the Java client writes it (§15.11): UTC, written as +00:00, never Z. */
export function eventQueryTime(d: Date): string {
  return d.toISOString().replace('Z', '+00:00');
}

export class DigipostClient {
  private entryPoint?: EntryPoint;
  private readonly batchLinks = new Map<string, Map<string, string>>();

  /** Parsed once: parsing the PEM costs more than the signature itself. */
  private readonly signingKey: KeyObject;

  constructor(private readonly opts: DigipostClientOptions) {
    this.signingKey = createPrivateKey(opts.privateKeyPem);
  }

  private readonly onBehalf = new Map<string, DigipostClient>();

  /**
   * The same broker sending on behalf of `senderId` (a tenant's own Digipost sender id); one client per
   * sender, so each keeps its entry point and certificate cache. The broker's own id gives this client.
   */
  forSender(senderId: string | null | undefined): DigipostClient {
    if (!senderId || senderId === (this.opts.senderId ?? this.opts.brokerId)) return this;
    let client = this.onBehalf.get(senderId);
    if (!client) {
      client = new DigipostClient({ ...this.opts, senderId });
      this.onBehalf.set(senderId, client);
    }
    return client;
  }

  private get senderId(): string {
    return this.opts.senderId ?? this.opts.brokerId;
  }

  // ---- transport ----

  private async fetchEntryPoint(): Promise<EntryPoint> {
    const res = await this.exchange('GET', '/', undefined, undefined);
    // The entry point's own signature is not checked (§1.4); Date and body hash are, in exchange().
    if (res.status !== 200) throw errorFrom(res.status, res.body);
    const ep = parser.parse(res.body.toString('utf8')).entrypoint as Xml | undefined;
    const pem = str(ep?.certificate);
    if (!pem) throw new DigipostError('SERVER_ERROR', 'entry point has no certificate', res.status);
    this.entryPoint = {
      certificate: new X509Certificate(pem),
      links: linksOf(ep!.link),
      fetchedAt: Date.now(),
    };
    return this.entryPoint;
  }

  private async currentEntryPoint(): Promise<EntryPoint> {
    const ttl = this.opts.entryPointTtlMs ?? 10 * 60_000;
    if (this.entryPoint && Date.now() - this.entryPoint.fetchedAt < ttl) return this.entryPoint;
    return this.fetchEntryPoint();
  }

  /** The path (and query) of a link, against our base URL: links are discovered, hosts are configured. */
  private async link(relation: string): Promise<string> {
    const uri = (await this.currentEntryPoint()).links.get(relation.toUpperCase());
    if (!uri) throw new DigipostError('GENERAL_ERROR', `the entry point has no ${relation} link`, 200, false);
    return pathOf(uri);
  }

  /** One signed HTTP exchange; checks the response's Date and body hash (not its signature). */
  private async exchange(
    method: string,
    path: string,
    body: Buffer | undefined,
    contentType: string | undefined,
  ): Promise<{ status: number; body: Buffer; headers: Headers; path: string }> {
    const url = new URL(path, this.opts.baseUrl);
    const headers: Record<string, string> = {
      Accept: V8,
      'Accept-Encoding': 'identity',
      ...signedHeaders({
        method,
        url,
        body,
        userId: this.opts.brokerId,
        privateKeyPem: this.signingKey,
      }),
    };
    if (contentType) headers['Content-Type'] = contentType;
    let res: Response;
    let resBody: Buffer;
    try {
      res = await (this.opts.fetch ?? fetch)(url, {
        method,
        headers,
        body: body ? new Uint8Array(body) : undefined,
        signal: AbortSignal.timeout(this.opts.timeoutMs ?? 60_000),
      });
      resBody = Buffer.from(await res.arrayBuffer());
    } catch (e) {
      const cause = (e as Error & { cause?: Error }).cause;
      throw new DigipostError(
        'CONNECTION_ERROR',
        `${method} ${url.pathname}: ${(e as Error).message}${cause ? ` (${cause.message})` : ''}`,
        0,
      );
    }
    const date = res.headers.get('date');
    if (!date || !(Math.abs(Date.now() - Date.parse(date)) <= MAX_SKEW_MS))
      throw new DigipostError(
        'SERVER_SIGNATURE_ERROR',
        'response Date missing or outside ±5 min',
        res.status,
      );
    const hash = res.headers.get('x-content-sha256');
    if (resBody.length > 0 && hash !== createHash('sha256').update(resBody).digest('base64'))
      throw new DigipostError(
        'SERVER_SIGNATURE_ERROR',
        'response X-Content-SHA256 missing or wrong',
        res.status,
      );
    return { status: res.status, body: resBody, headers: res.headers, path: url.pathname };
  }

  /** A signed exchange whose response signature verifies with the root entry point's certificate (§1.4). */
  private async request(
    method: string,
    path: string,
    body?: Buffer,
    contentType?: string,
  ): Promise<{ status: number; body: Buffer }> {
    const ep = await this.currentEntryPoint();
    const res = await this.exchange(method, path, body, contentType);
    let canonical = `${res.status}\n${res.path.toLowerCase()}\ndate: ${res.headers.get('date')}\n`;
    const hash = res.headers.get('x-content-sha256');
    if (hash) canonical += `x-content-sha256: ${hash}\n`;
    const signature = res.headers.get('x-digipost-signature') ?? '';
    const verifies = (cert: X509Certificate) =>
      createVerify('RSA-SHA256').update(canonical, 'utf8').verify(cert.publicKey, signature, 'base64');
    // A failure may mean Digipost changed its certificate: fetch the entry point once more, then give up.
    if (!verifies(ep.certificate) && !verifies((await this.fetchEntryPoint()).certificate))
      throw new DigipostError('SERVER_SIGNATURE_ERROR', 'response signature does not verify', res.status);
    return res;
  }

  private async xml(method: string, path: string, root: string, body?: string): Promise<Xml> {
    const res = await this.request(
      method,
      path,
      body === undefined ? undefined : Buffer.from(body, 'utf8'),
      body === undefined ? undefined : V8,
    );
    if (res.status < 200 || res.status >= 300) throw errorFrom(res.status, res.body);
    const parsed = (parser.parse(res.body.toString('utf8')) as Xml)[root] as Xml | string | undefined;
    if (parsed === undefined)
      throw new DigipostError('SERVER_ERROR', `expected <${root}> in the response`, res.status);
    return typeof parsed === 'object' ? parsed : {}; // an empty element parses as ''
  }

  // ---- operations ----

  /** Recipient identification (§3): a person by national id, or an organisation by `{ orgNumber }`. */
  async identify(recipient: string | { orgNumber: string }): Promise<Identification> {
    const body = xmlDocument('identification', {
      '@include-personalias-for-digipost-user': 'false',
      ...(typeof recipient === 'string'
        ? { 'personal-identification-number': recipient }
        : { 'organisation-number': recipient.orgNumber }),
    });
    const r = await this.xml('POST', await this.link('identify_recipient'), 'identification-result', body);
    return {
      result: str(r.result) ?? '',
      ...(r['person-alias'] !== undefined ? { personAlias: str(r['person-alias']) } : {}),
      ...(r['digipost-address'] !== undefined ? { digipostAddress: str(r['digipost-address']) } : {}),
      ...(r['unidentified-reason'] !== undefined || r['invalid-reason'] !== undefined
        ? { reason: str(r['unidentified-reason'] ?? r['invalid-reason']) }
        : {}),
    };
  }

  /** The `<message>` XML of a send, elements in the XSD's order (§4.2). */
  static messageXml(req: SendRequest, senderId?: string, now = new Date()): string {
    if ((req.directPrint || req.printIfUnread) && !req.print)
      throw new DigipostError(
        'CLIENT_ERROR',
        'direct print and print-if-unread need print addresses',
        0,
        false,
      );
    if (!req.directPrint && (req.nationalId === undefined) === (req.orgNumber === undefined))
      throw new DigipostError(
        'CLIENT_ERROR',
        'a message needs exactly one recipient identifier: a national id or an organisation number',
        0,
        false,
      );
    const address = (a: PrintAddress) => ({
      name: a.name,
      'norwegian-address': {
        ...Object.fromEntries(a.lines.slice(0, 3).map((l, i) => [`addressline${i + 1}`, l])),
        'zip-code': a.postalCode,
        city: a.city,
      },
    });
    const printDetails = req.print && {
      recipient: address(req.print.recipient),
      'return-address': address(req.print.returnAddress),
      ...(req.print.nondeliverableHandling
        ? { 'nondeliverable-handling': req.print.nondeliverableHandling }
        : {}),
    };
    return xmlDocument('message', {
      'message-id': req.messageId,
      ...(senderId ? { 'sender-id': senderId } : {}),
      recipient: {
        ...(req.directPrint
          ? {}
          : req.orgNumber !== undefined
            ? { 'organisation-number': req.orgNumber }
            : { 'personal-identification-number': req.nationalId }),
        ...(printDetails ? { 'print-details': printDetails } : {}),
      },
      'primary-document': { uuid: req.documentUuid, subject: req.subject, 'file-type': 'pdf' },
      ...(req.attachments?.length
        ? {
            attachment: req.attachments.map((a) => ({
              uuid: a.documentUuid,
              subject: a.subject,
              'file-type': 'pdf',
            })),
          }
        : {}),
      ...(req.printIfUnread && !req.directPrint
        ? {
            'print-if-unread': {
              'print-if-unread-after': new Date(
                now.getTime() + req.printIfUnread.afterDays * 86_400_000,
              ).toISOString(),
              'print-details': printDetails,
            },
          }
        : {}),
      ...(req.batchUuid ? { batch: { uuid: req.batchUuid } } : {}),
    });
  }

  /**
   * Sends one letter (multipart, §4.1). Idempotent through `messageId`: DUPLICATE_MESSAGE means an earlier
   * attempt was accepted, reported as `alreadyAccepted` (confirm the channel with documentStatus).
   */
  async send(req: SendRequest): Promise<SendResult> {
    const senderId =
      this.opts.senderId && this.opts.senderId !== this.opts.brokerId ? this.opts.senderId : undefined;
    const xml = DigipostClient.messageXml(req, senderId, this.opts.now?.() ?? new Date());
    const boundary = randomUUID();
    // one part per document: the primary first, then the attachments in the XML's order (§4.1, §15.9)
    const documents = [
      { uuid: req.documentUuid, pdf: req.pdf },
      ...(req.attachments ?? []).map((a) => ({ uuid: a.documentUuid, pdf: a.pdf })),
    ];
    const body = Buffer.concat([
      Buffer.from(
        `--${boundary}\r\nContent-Disposition: attachment; filename="message"\r\n` +
          `Content-Type: ${V8}; charset=UTF-8\r\n\r\n${xml}`,
      ),
      ...documents.flatMap((d) => [
        Buffer.from(
          `\r\n--${boundary}\r\nContent-Disposition: attachment; filename="${d.uuid}"\r\n` +
            `Content-Type: application/pdf\r\n\r\n`,
        ),
        Buffer.from(d.pdf),
      ]),
      Buffer.from(`\r\n--${boundary}--\r\n`),
    ]);
    const res = await this.request(
      'POST',
      await this.link('create_message'),
      body,
      `multipart/vnd.digipost-v8+xml; boundary=${boundary}`,
    );
    if (res.status >= 200 && res.status < 300) {
      const d = (parser.parse(res.body.toString('utf8'))['message-delivery'] ?? {}) as Xml;
      return {
        channel: str(d['delivery-method']),
        status: str(d.status),
        ...(d['delivery-time'] !== undefined ? { deliveryTime: str(d['delivery-time']) } : {}),
        alreadyAccepted: false,
      };
    }
    const err = errorFrom(res.status, res.body);
    if (err.code === 'DUPLICATE_MESSAGE') return { alreadyAccepted: true };
    throw err;
  }

  /** Document status (§7), at the path the official client hard-codes (§15.6). */
  async documentStatus(documentUuid: string): Promise<DocumentStatus> {
    const d = await this.xml(
      'GET',
      `/documents/${encodeURIComponent(this.senderId)}/${encodeURIComponent(documentUuid)}/status`,
      'document-status',
    );
    return {
      status: str(d['@status']) ?? '',
      ...(d['@channel'] !== undefined ? { channel: str(d['@channel']) } : {}),
      ...(d['@created'] !== undefined ? { created: str(d['@created']) } : {}),
      ...(d['@delivered'] !== undefined ? { delivered: str(d['@delivered']) } : {}),
      ...(d['@read'] !== undefined ? { read: str(d['@read']) } : {}),
    };
  }

  /**
   * One page of document events in [from, to) (§8). Fewer than `maxResults` events means the window is
   * exhausted. Events come for the broker, or for `senderId` when the client sends on behalf of one.
   */
  async documentEvents(q: {
    from: Date;
    to: Date;
    offset?: number;
    maxResults?: number;
  }): Promise<{ events: DocumentEvent[] }> {
    const params = [
      `from=${encodeURIComponent(eventQueryTime(q.from))}`,
      `to=${encodeURIComponent(eventQueryTime(q.to))}`,
      `offset=${q.offset ?? 0}`,
      `maxResults=${q.maxResults ?? 100}`,
      ...(this.opts.senderId ? [`sender=${encodeURIComponent(this.opts.senderId)}`] : []),
    ];
    const r = await this.xml(
      'GET',
      `${await this.link('document_events')}?${params.join('&')}`,
      'document-events',
    );
    const events = ((r.event as Xml[] | undefined) ?? []).map((e): DocumentEvent => {
      const meta = e.metadata as Xml | undefined;
      const attributes = meta
        ? Object.fromEntries(
            Object.entries(meta)
              .filter(([k]) => k.startsWith('@') && k !== '@type' && !k.startsWith('@xmlns'))
              .map(([k, v]) => [k.slice(1), String(v)]),
          )
        : undefined;
      return {
        uuid: str(e['@uuid']) ?? '',
        type: str(e['@type']) ?? '',
        created: str(e['@created']) ?? '',
        ...(e['@document-created'] !== undefined ? { documentCreated: str(e['@document-created']) } : {}),
        ...(attributes ? { metadata: attributes } : {}),
        ...(meta?.['@type'] !== undefined ? { metadataType: str(meta['@type']) } : {}),
      };
    });
    return { events };
  }

  /**
   * Every event in [from, to), read page by page until a page is short (§8). Events may arrive late with a
   * `created` inside a window already read: re-read overlapping windows and de-duplicate on (uuid, type, created).
   */
  async allDocumentEvents(q: { from: Date; to: Date; pageSize?: number }): Promise<DocumentEvent[]> {
    const pageSize = q.pageSize ?? 100;
    const all: DocumentEvent[] = [];
    for (let offset = 0; ; offset += pageSize) {
      const { events } = await this.documentEvents({ from: q.from, to: q.to, offset, maxResults: pageSize });
      all.push(...events);
      if (events.length < pageSize) return all;
    }
  }

  // ---- batches (§9) ----

  private batchFrom(b: Xml): Batch {
    const uuid = str(b.uuid) ?? '';
    this.batchLinks.set(uuid, linksOf(b.link));
    return {
      uuid,
      status: str(b.status) ?? '',
      countDigipost: Number(b['count-digipost'] ?? 0),
      countPrint: Number(b['count-print'] ?? 0),
    };
  }

  private async batchLink(uuid: string, relation: string): Promise<string> {
    let uri = this.batchLinks.get(uuid)?.get(relation);
    if (!uri) {
      await this.getBatch(uuid);
      uri = this.batchLinks.get(uuid)?.get(relation);
    }
    if (!uri)
      throw new DigipostError('GENERAL_ERROR', `batch ${uuid} offers no ${relation} link`, 200, false);
    return pathOf(uri);
  }

  async createBatch(uuid: string): Promise<Batch> {
    const body = xmlDocument('batch', { uuid });
    return this.batchFrom(await this.xml('POST', await this.link('create_batch'), 'batch', body));
  }

  async getBatch(uuid: string): Promise<Batch> {
    const base = await this.link('get_batch');
    return this.batchFrom(await this.xml('GET', `${base}${encodeURIComponent(uuid)}`, 'batch'));
  }

  /** Commits the batch: Digipost delivers its digital letters now and prints the rest the next working day. */
  async completeBatch(uuid: string): Promise<Batch> {
    return this.batchFrom(await this.xml('POST', await this.batchLink(uuid, 'COMPLETE_BATCH'), 'batch'));
  }

  /** Cancels a batch that is not yet committed: Digipost deletes its messages. */
  async cancelBatch(uuid: string): Promise<void> {
    const res = await this.request('DELETE', await this.batchLink(uuid, 'SELF_DELETE'));
    if (res.status < 200 || res.status >= 300) throw errorFrom(res.status, res.body);
    this.batchLinks.delete(uuid);
  }
}

/** `<link>` elements by relation: the last path segment of `rel`, upper-cased, as the Java client matches. */
function linksOf(links: unknown): Map<string, string> {
  const map = new Map<string, string>();
  for (const l of (links as Xml[] | undefined) ?? []) {
    const rel = str(l['@rel']) ?? '';
    map.set(rel.slice(rel.lastIndexOf('/') + 1).toUpperCase(), str(l['@uri']) ?? '');
  }
  return map;
}

/** Path and query of an absolute or relative URI. */
function pathOf(uri: string): string {
  const u = new URL(uri, 'http://base.invalid');
  return `${u.pathname}${u.search}`;
}

function errorFrom(status: number, body: Buffer): DigipostError {
  let e: Xml = {};
  try {
    e = (parser.parse(body.toString('utf8'))?.error ?? {}) as Xml;
  } catch {
    // not XML: the error is classified by status alone
  }
  const code =
    str(e['error-code']) ??
    (status === 503 ? 'API_UNAVAILABLE' : status >= 500 ? 'SERVER_ERROR' : 'GENERAL_ERROR');
  return new DigipostError(
    code,
    str(e['error-message']) ?? `HTTP ${status}`,
    status,
    undefined,
    str(e['error-type']),
  );
}
