// Digipost API v8 simulator (digipost-api.md, §15 wins): entry points with certificate and links, request
// authentication, signed responses, XSD validation of every XML body, identification, sending with print
// fallback / direct print / print-if-unread, the print checks of §4.5, document status and events, batches,
// a business clock, a population register, per-broker permissions, and fault injection. Test-only control
// goes through the returned object or the admin HTTP API (admin.ts). See README.md in this folder.
import express, { type NextFunction, type Request, type Response } from 'express';
import { createHash, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import forge from 'node-forge';
import { authenticate, responseHeaders } from './auth';
import { nextPrintRun, osloIso, osloMidnight, SimClock } from './clock';
import { boundaryOf, parseMultipart, type Part } from './multipart';
import { printabilityError } from './print-check';
import {
  lookUp,
  makeBroker,
  validOrganisationNumber,
  type Broker,
  type BrokerOptions,
  type Permissions,
  type Person,
} from './register';
import { adminRouter } from './admin';
import { document, parseXml, schemaErrors, text, type Xml } from './xml';

export type { Person, Permissions, BrokerOptions };

const V8 = 'application/vnd.digipost-v8+xml';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const EVENT_RETENTION_MS = 30 * 86_400_000;
const MAX_EVENT_RESULTS = 10_000;

export type SimChannel = 'DIGIPOST' | 'PRINT' | 'PENDING';

export interface StoredDocument {
  uuid: string;
  subject: string;
  fileType: string;
  content: Buffer;
  /** base64 SHA-256 of the content, echoed in message-delivery and document-status. */
  contentHash: string;
  isPrimary: boolean;
  authenticationLevel: string;
  sensitivityLevel: string;
  status: 'DELIVERED' | 'NOT_DELIVERED';
  created: Date;
  delivered?: Date;
  /** Set only when an opening receipt was requested: 'N' until the recipient opens it. */
  read?: 'Y' | 'N';
}

export interface ReceivedMessage {
  messageId?: string;
  brokerId: string;
  senderId: string;
  channel: SimChannel;
  /** National id, Digipost address or 'direct-print': test-only view, never logged. */
  recipientKey: string;
  documents: StoredDocument[];
  receivedAt: Date;
  batchUuid?: string;
  deliveryTime?: Date;
  printIfUnreadAfter?: Date;
  /** Request for registration (§4.4): PENDING until the person registers or the deadline passes. */
  registration?: { deadline: Date; print: boolean };
  nondeliverableHandling?: string;
  /** When the print run takes this letter (PRINT channel, or print-if-unread that came due). */
  printAt?: Date;
  printed: boolean;
}

export type BatchStatus = 'CREATED' | 'NOT_COMMITTED' | 'COMMITTED' | 'DONE';

export interface SimBatch {
  uuid: string;
  brokerId: string;
  status: BatchStatus;
  created: Date;
  committedAt?: Date;
}

export interface SimEvent {
  /** The document's uuid (the XSD's `event/@uuid`). */
  uuid: string;
  type: string;
  created: Date;
  documentCreated: Date;
  brokerId: string;
  senderId: string;
  /** `xsi:type` of the metadata element and its attributes. */
  metadata?: { xsiType: string; attributes: Record<string, string> };
}

/** A fault applies to the next `times` (default 1) matching requests; admin requests are never affected. */
export type Fault = (
  | { kind: 'status'; status: number; code?: string; message?: string }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop'; after?: boolean }
  | { kind: 'bad-signature' }
  | { kind: 'skewed-date'; ms: number }
) & {
  times?: number;
  method?: string;
  /** Path prefix, e.g. '/messages'; '/' matches only the root entry point. Default: every request. */
  path?: string;
};

export interface DigipostSimulator {
  url: string;
  /** PEM certificate of the simulator's response-signing key, as served in the entry point. */
  readonly certificatePem: string;
  /** Register a broker with its PEM public key or certificate (`null`: no certificate uploaded). */
  addBroker(userId: string, publicKeyOrCertificatePem: string | null, opts?: BrokerOptions): void;
  setPermissions(userId: string, permissions: Partial<Permissions>): void;
  /** The population register, keyed by national id. Unregistered valid ids are unknown; invalid ones INVALID. */
  setPerson(nationalId: string, person: Person): void;
  /** Every message held, batch members included (a cancelled batch's messages are removed). */
  messages: ReceivedMessage[];
  batches(): SimBatch[];
  /** The event log as it stands (expired events removed). */
  events(): SimEvent[];
  now(): Date;
  setNow(at: Date): void;
  advanceClock(ms: number): void;
  /** Adds an event for a held document, e.g. a late PRINT_FAILED or SHREDDED, or an unknown type. */
  injectEvent(
    documentUuid: string,
    type: string,
    metadata?: Record<string, string>,
    opts?: { created?: Date; xsiType?: string },
  ): SimEvent;
  /** The recipient opens the document: OPENED event, `read="Y"` with an opening receipt. */
  openDocument(documentUuid: string): void;
  fault(fault: Fault): void;
  clearFaults(): void;
  /** A new response-signing key and certificate (clients must re-fetch the entry point). */
  rotateKey(): void;
  /** Fault injection: while set, accepted sends are stored but their responses are held back. */
  holdResponses: boolean;
  close(): Promise<void>;
}

function selfSignedCertificate(): { keyPem: string; certPem: string } {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const keyPem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const cert = forge.pki.createCertificate();
  cert.publicKey = forge.pki.publicKeyFromPem(publicKey.export({ type: 'spki', format: 'pem' }).toString());
  cert.serialNumber = '01';
  cert.validity.notBefore = new Date(Date.now() - 86_400_000);
  cert.validity.notAfter = new Date(Date.now() + 10 * 365 * 86_400_000);
  const attrs = [{ name: 'commonName', value: 'Digipost simulator' }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.sign(forge.pki.privateKeyFromPem(keyPem), forge.md.sha256.create());
  return { keyPem, certPem: forge.pki.certificateToPem(cert) };
}

/** `xsi:type` of an event's metadata (§8); unknown types get a name derived from the type. */
const METADATA_TYPES: Record<string, string> = {
  POSTMARKED: 'postmarked-metadata',
  PRINT_FAILED: 'failed-print-metadata',
  SMS_NOTIFICATION_FAILED: 'sms-notification-failed-metadata',
  EMAIL_NOTIFICATION_FAILED: 'email-notification-failed-metadata',
  EMAIL_MESSAGE_SENT: 'email-delivered-metadata',
  PEPPOL_FAILED: 'failed-peppol-metadata',
  REQUEST_FOR_REGISTRATION_EXPIRED: 'request-for-registration-expired-metadata',
};

class Reject extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type = 'CLIENT_DATA',
  ) {
    super(message);
  }
}

const IDENTIFIERS = [
  'personal-identification-number',
  'organisation-number',
  'digipost-address',
  'name-and-address',
  'email-details',
  'peppol-addresses',
  'bank-account-number',
];

export async function startDigipostSimulator(
  opts: { port?: number; host?: string } = {},
): Promise<DigipostSimulator> {
  let signing = selfSignedCertificate();
  const recipientKey = selfSignedCertificate().certPem;
  const brokers = new Map<string, Broker>();
  const people = new Map<string, Person>();
  const messages: ReceivedMessage[] = [];
  const batches = new Map<string, SimBatch>();
  let events: SimEvent[] = [];
  const usedMessageIds = new Set<string>();
  const usedDocumentUuids = new Set<string>();
  const faults: Fault[] = [];
  const clock = new SimClock();
  const state = { holdResponses: false };
  let base = '';

  const allDocuments = () => messages.flatMap((m) => m.documents.map((d) => ({ m, d })));
  const findDocument = (uuid: string) => allDocuments().find((x) => x.d.uuid === uuid);

  function addEvent(
    m: ReceivedMessage,
    d: StoredDocument,
    type: string,
    created: Date,
    meta?: SimEvent['metadata'],
  ) {
    const e: SimEvent = {
      uuid: d.uuid,
      type,
      created,
      documentCreated: d.created,
      brokerId: m.brokerId,
      senderId: m.senderId,
      ...(meta ? { metadata: meta } : {}),
    };
    events.push(e);
    return e;
  }

  /** Brings clock-driven state up to the business clock: deliveries, print runs, batch completion, expiry. */
  function tick() {
    const now = clock.now();
    for (const m of messages) {
      const batch = m.batchUuid ? batches.get(m.batchUuid) : undefined;
      if (batch && (batch.status === 'CREATED' || batch.status === 'NOT_COMMITTED')) continue;
      if (m.channel === 'DIGIPOST' && m.deliveryTime && m.deliveryTime <= now)
        for (const d of m.documents)
          if (d.status === 'NOT_DELIVERED')
            Object.assign(d, { status: 'DELIVERED', delivered: m.deliveryTime });
      if (m.channel === 'PENDING' && m.registration) {
        const registered = lookUp(people, m.recipientKey).kind === 'DIGIPOST';
        if (registered || m.registration.deadline <= now) {
          const at = registered ? now : m.registration.deadline;
          m.channel = registered ? 'DIGIPOST' : m.registration.print ? 'PRINT' : 'PENDING';
          if (m.channel !== 'PENDING')
            for (const d of m.documents) Object.assign(d, { status: 'DELIVERED', delivered: at });
          if (m.channel === 'PRINT') m.printAt = nextPrintRun(at);
          const primary = m.documents[0]!;
          if (registered) addEvent(m, primary, 'REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST', at);
          else if (m.registration.print)
            addEvent(m, primary, 'REQUEST_FOR_REGISTRATION_EXPIRED', at, {
              xsiType: METADATA_TYPES.REQUEST_FOR_REGISTRATION_EXPIRED!,
              attributes: { 'fallback-channel': 'PRINT' },
            });
          else addEvent(m, primary, 'REQUEST_FOR_REGISTRATION_FAILED', at);
          delete m.registration;
        }
      }
      if (m.printIfUnreadAfter && !m.printAt && m.printIfUnreadAfter <= now && m.documents[0]!.read !== 'Y') {
        const opened = events.some((e) => e.uuid === m.documents[0]!.uuid && e.type === 'OPENED');
        if (!opened) m.printAt = nextPrintRun(m.printIfUnreadAfter);
      }
      if (m.printAt && !m.printed && m.printAt <= now) {
        m.printed = true;
        for (const d of m.documents)
          addEvent(m, d, 'POSTMARKED', m.printAt, {
            xsiType: 'postmarked-metadata',
            attributes: { 'postmarked-date': osloIso(osloMidnight(m.printAt)) },
          });
      }
    }
    for (const b of batches.values())
      if (b.status === 'COMMITTED') {
        const members = messages.filter((m) => m.batchUuid === b.uuid);
        if (members.every((m) => m.channel !== 'PRINT' || m.printed)) b.status = 'DONE';
      }
    const oldest = now.getTime() - EVENT_RETENTION_MS;
    events = events.filter((e) => e.created.getTime() >= oldest);
  }

  // ---- replies: every response is signed, errors included (§1.4, §13.3) ----
  function send(
    req: Request,
    res: Response,
    status: number,
    xml: string | undefined,
    extra: Record<string, string> = {},
  ) {
    const body = Buffer.from(xml ?? '', 'utf8');
    const skew = Number(res.locals.dateSkewMs ?? 0);
    const headers = responseHeaders({
      status,
      path: req.originalUrl.split('?')[0]!,
      body,
      privateKeyPem: signing.keyPem,
      date: new Date(Date.now() + skew),
    });
    if (res.locals.badSignature)
      headers['X-Digipost-Signature'] = Buffer.from(randomUUID().repeat(8)).toString('base64');
    if (res.locals.dropAfter) {
      req.socket.destroy();
      return;
    }
    res.status(status).set({
      ...(body.length > 0 ? { 'Content-Type': V8 } : {}),
      'Content-Length': String(body.length),
      ...headers,
      ...extra,
    });
    res.end(body);
  }
  const reply = (
    req: Request,
    res: Response,
    status: number,
    root: string,
    content: Xml,
    extra?: Record<string, string>,
  ) => send(req, res, status, document(root, content), extra);
  const error = (
    req: Request,
    res: Response,
    status: number,
    code: string,
    message: string,
    type = 'CLIENT_DATA',
  ) => reply(req, res, status, 'error', { 'error-code': code, 'error-message': message, 'error-type': type });

  const raw = (req: Request) => (req as Request & { rawBody: Buffer }).rawBody;

  function auth(req: Request, res: Response): Broker | undefined {
    const result = authenticate(
      { method: req.method, target: req.originalUrl, header: (n) => req.header(n), body: raw(req) },
      (id) => {
        const b = brokers.get(id);
        return b ? (b.publicKey ?? null) : undefined;
      },
    );
    if ('code' in result)
      return void error(req, res, result.status, result.code, result.message, 'CLIENT_TECHNICAL');
    return brokers.get(result.userId)!;
  }

  /** The XML body, valid against api_v8.xsd and with the expected root; otherwise a 400 has been sent. */
  async function xmlBody(xml: string, root: string): Promise<Xml> {
    const errors = await schemaErrors(xml);
    if (errors.length)
      throw new Reject(400, 'SCHEMA_VALIDATION_ERROR', errors.join('; '), 'CLIENT_TECHNICAL');
    const parsed = parseXml(xml)[root] as Xml | undefined;
    if (!parsed) throw new Reject(400, 'SCHEMA_VALIDATION_ERROR', `Expected <${root}>`, 'CLIENT_TECHNICAL');
    return typeof parsed === 'object' ? parsed : {};
  }

  const handle =
    (fn: (req: Request, res: Response, broker: Broker) => Promise<void> | void) =>
    async (req: Request, res: Response) => {
      const broker = auth(req, res);
      if (!broker) return;
      try {
        await fn(req, res, broker);
      } catch (e) {
        if (e instanceof Reject) return error(req, res, e.status, e.code, e.message, e.type);
        throw e;
      }
    };

  // ---- the HTTP app ----
  const app = express();
  app.disable('x-powered-by');
  app.disable('etag');

  const sim: DigipostSimulator = Object.assign(state, {
    url: '',
    get certificatePem() {
      return signing.certPem;
    },
    addBroker: (id: string, pem: string | null, o?: BrokerOptions) =>
      void brokers.set(id, makeBroker(id, pem, o)),
    setPermissions: (id: string, p: Partial<Permissions>) => {
      const b = brokers.get(id);
      if (!b) throw new Error(`no broker ${id}`);
      b.permissions = { ...b.permissions, ...p };
    },
    setPerson: (nid: string, p: Person) => void people.set(nid, p),
    messages,
    batches: () => (tick(), [...batches.values()]),
    events: () => (tick(), [...events]),
    now: () => clock.now(),
    setNow: (at: Date) => (clock.set(at), tick()),
    advanceClock: (ms: number) => (clock.advance(ms), tick()),
    injectEvent: (
      uuid: string,
      type: string,
      attributes?: Record<string, string>,
      o: { created?: Date; xsiType?: string } = {},
    ) => {
      const found = findDocument(uuid);
      if (!found) throw new Error(`no document ${uuid}`);
      const xsiType =
        o.xsiType ?? METADATA_TYPES[type] ?? `${type.toLowerCase().replace(/_/g, '-')}-metadata`;
      return addEvent(
        found.m,
        found.d,
        type,
        o.created ?? clock.now(),
        attributes ? { xsiType, attributes } : undefined,
      );
    },
    openDocument: (uuid: string) => {
      const found = findDocument(uuid);
      if (!found) throw new Error(`no document ${uuid}`);
      if (found.d.read) found.d.read = 'Y';
      addEvent(found.m, found.d, 'OPENED', clock.now());
    },
    fault: (f: Fault) => void faults.push({ ...f }),
    clearFaults: () => void faults.splice(0),
    rotateKey: () => void (signing = selfSignedCertificate()),
    close: () => {
      state.holdResponses = false;
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  });

  app.use('/admin', express.json({ limit: '1mb' }), adminRouter(sim));

  app.use((req, _res, next) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      (req as Request & { rawBody: Buffer }).rawBody = Buffer.concat(chunks);
      next();
    });
  });

  // Fault injection, then the business clock catches up.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const path = req.originalUrl.split('?')[0]!.toLowerCase();
    const i = faults.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === req.method) &&
        (f.path === undefined || (f.path === '/' ? path === '/' : path.startsWith(f.path.toLowerCase()))),
    );
    const f = i < 0 ? undefined : faults[i]!;
    if (f) {
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) faults.splice(i, 1);
    }
    tick();
    if (!f) return next();
    switch (f.kind) {
      case 'status': {
        const code =
          f.code ??
          (f.status === 503 ? 'API_UNAVAILABLE' : f.status >= 500 ? 'SERVER_ERROR' : 'GENERAL_ERROR');
        return error(
          req,
          res,
          f.status,
          code,
          f.message ?? 'Injected fault',
          f.status >= 500 ? 'SERVER' : 'CLIENT_DATA',
        );
      }
      case 'slow':
        await new Promise((r) => setTimeout(r, f.ms));
        return next();
      case 'drop':
        if (!f.after) return void req.socket.destroy();
        res.locals.dropAfter = true;
        return next();
      case 'bad-signature':
        res.locals.badSignature = true;
        return next();
      case 'skewed-date':
        res.locals.dateSkewMs = f.ms;
        return next();
    }
  });

  // ---- entry points (§2, §13.1, §15.5) ----
  const link = (name: string, uri: string) => ({
    '@rel': `${base}/relations/${name}`,
    '@uri': `${base}${uri}`,
    '@media-type': V8,
  });
  const entrypoint = (senderId: string | undefined) =>
    handle((req, res, broker) => {
      const sender = senderId ?? broker.userId;
      reply(req, res, 200, 'entrypoint', {
        certificate: signing.certPem.trim(),
        link: [
          link('create_message', '/messages'),
          link('identify_recipient', '/identification'),
          link('identify_recipient_with_encryption_key', '/identification/with-encryption-key'),
          link('document_events', '/documents/events'),
          link('document_status', `/documents/${sender}/status/`),
          link('create_batch', '/batch'),
          link('get_batch', '/batch/'),
          link('self', senderId ? `/${senderId}` : '/'),
        ],
      });
    });
  app.get('/', entrypoint(undefined));
  app.get(/^\/(\d+)$/, (req, res, next) => entrypoint(req.params[0] as string)(req, res).catch(next));

  // ---- identification (§3) ----
  function identify(id: Xml) {
    const alias = (nid: string) => createHash('sha256').update(`alias:${nid}`).digest('hex').slice(0, 40);
    const wantAlias = text(id['@include-personalias-for-digipost-user']) === 'true';
    const pin = text(id['personal-identification-number']);
    const address = text(id['digipost-address']);
    const org = text(id['organisation-number']);
    if (pin !== undefined) {
      const p = lookUp(people, pin);
      if (p.kind === 'DIGIPOST')
        return { result: 'DIGIPOST', ...(wantAlias ? { 'person-alias': p.personAlias ?? alias(pin) } : {}) };
      if (p.kind === 'IDENTIFIED')
        return { result: 'IDENTIFIED', 'person-alias': p.personAlias ?? alias(pin) };
      if (p.kind === 'INVALID')
        return { result: 'INVALID', 'invalid-reason': 'INVALID_PERSONAL_IDENTIFICATION_NUMBER' };
      return { result: 'UNIDENTIFIED', 'unidentified-reason': p.reason ?? 'NOT_FOUND' };
    }
    if (address !== undefined) {
      const found = [...people.entries()].find(
        ([, p]) => p.kind === 'DIGIPOST' && p.digipostAddress === address,
      );
      if (found)
        return {
          result: 'DIGIPOST',
          'digipost-address': address,
          ...(wantAlias ? { 'person-alias': alias(found[0]) } : {}),
        };
      return { result: 'UNIDENTIFIED', 'unidentified-reason': 'NOT_FOUND' };
    }
    if (org !== undefined && !validOrganisationNumber(org))
      return { result: 'INVALID', 'invalid-reason': 'INVALID_ORGANISATION_NUMBER' };
    return { result: 'UNIDENTIFIED', 'unidentified-reason': 'NOT_FOUND' };
  }
  app.post(
    '/identification',
    handle(async (req, res) => {
      const id = await xmlBody(raw(req).toString('utf8'), 'identification');
      reply(req, res, 200, 'identification-result', identify(id));
    }),
  );
  app.post(
    '/identification/with-encryption-key',
    handle(async (req, res) => {
      const id = await xmlBody(raw(req).toString('utf8'), 'identification');
      const result = identify(id);
      reply(req, res, 200, 'identification-result-with-encryption-key', {
        'identification-result': result,
        ...(result.result === 'DIGIPOST'
          ? { 'encryption-key': { '@key-id': 'sim-recipient-key', '#text': recipientKey.trim() } }
          : {}),
      });
    }),
  );

  // ---- sending (§4, §5) ----
  function documentsOf(message: Xml): Xml[] {
    return [message['primary-document'] as Xml, ...((message.attachment as Xml[] | undefined) ?? [])];
  }

  function recipientOf(recipient: Xml): { key: string; person: Person } | undefined {
    const pin = text(recipient['personal-identification-number']);
    if (pin !== undefined) return { key: pin, person: lookUp(people, pin) };
    const address = text(recipient['digipost-address']);
    if (address !== undefined) {
      const p = [...people.values()].find((x) => x.kind === 'DIGIPOST' && x.digipostAddress === address);
      return { key: address, person: p ?? { kind: 'UNIDENTIFIED' } };
    }
    const other = IDENTIFIERS.find((k) => recipient[k] !== undefined);
    return other ? { key: other, person: { kind: 'UNIDENTIFIED' } } : undefined;
  }

  async function accept(
    broker: Broker,
    contentType: string,
    body: Buffer,
  ): Promise<{ message: ReceivedMessage; status: string }> {
    if (
      !/^multipart\/(vnd\.digipost-v8\+xml|mixed|form-data)\s*;/i.test(contentType) ||
      !boundaryOf(contentType)
    )
      throw new Reject(
        400,
        'PROBLEM_WITH_REQUEST',
        'Expected multipart/vnd.digipost-v8+xml with a boundary',
        'CLIENT_TECHNICAL',
      );
    let parsed: Part[];
    try {
      parsed = parseMultipart(body, boundaryOf(contentType)!);
    } catch (e) {
      throw new Reject(
        400,
        'PROBLEM_WITH_REQUEST',
        `Malformed multipart body: ${(e as Error).message}`,
        'CLIENT_TECHNICAL',
      );
    }
    if (parsed.some((p) => !p.headers['content-disposition']))
      throw new Reject(
        400,
        'MISSING_BODYPART_CONTENT_DISPOSITION',
        'A body part has no Content-Disposition',
        'CLIENT_TECHNICAL',
      );
    if (parsed.some((p) => !p.filename))
      throw new Reject(400, 'MISSING_BODYPART_FILENAME', 'A body part has no filename', 'CLIENT_TECHNICAL');
    const parts = new Map(parsed.map((p) => [p.filename!, p.body]));
    const xml = parts.get('message');
    if (!xml)
      throw new Reject(
        400,
        'MISSING_BODYPART_FILENAME',
        'No part with filename "message"',
        'CLIENT_TECHNICAL',
      );
    const message = await xmlBody(xml.toString('utf8'), 'message');
    const docs = documentsOf(message);
    const uuids = docs.map((d) => text(d.uuid)!);
    if (
      new Set(uuids).size !== uuids.length ||
      parts.size - 1 !== docs.length ||
      uuids.some((u) => !parts.has(u))
    )
      throw new Reject(
        400,
        'DOCUMENTS_AND_FILES_MISMATCH',
        'Documents in the message and body parts do not match',
        'CLIENT_TECHNICAL',
      );
    if (uuids.some((u) => parts.get(u)!.length === 0))
      throw new Reject(400, 'MISSING_CONTENT', 'A document part is empty');

    // Sender: the broker itself, or a sender that has authorised it (§1.1).
    const senderId = text(message['sender-id']);
    const senderOrg = text((message['sender-organization'] as Xml | undefined)?.['organization-id']);
    const onBehalfOf = senderId ?? senderOrg;
    if (onBehalfOf !== undefined && onBehalfOf !== broker.userId && !broker.senders.includes(onBehalfOf))
      throw new Reject(
        403,
        'BROKER_NOT_AUTHORIZED',
        `Broker may not send on behalf of ${onBehalfOf}`,
        'CONFIGURATION',
      );
    const sender = senderId ?? broker.userId;

    if (docs.some((d) => !text(d.subject)?.trim()))
      throw new Reject(400, 'MISSING_SUBJECT', 'A document has a blank subject');

    const messageId = text(message['message-id']);
    if (messageId !== undefined && usedMessageIds.has(`${broker.userId}/${messageId}`))
      throw new Reject(400, 'DUPLICATE_MESSAGE', 'The message-id has been previously used');

    const batchUuid = text((message.batch as Xml | undefined)?.uuid);
    let batch: SimBatch | undefined;
    if (batchUuid !== undefined) {
      batch = batches.get(batchUuid);
      if (!batch || batch.brokerId !== broker.userId)
        throw new Reject(400, 'UNKNOWN_BATCH', `Unknown batch ${batchUuid}`);
      if (batch.status !== 'CREATED' && batch.status !== 'NOT_COMMITTED')
        throw new Reject(
          400,
          'PROBLEM_WITH_REQUEST',
          `Batch ${batchUuid} is ${batch.status}`,
          'CLIENT_TECHNICAL',
        );
      const inBatch = new Set(
        messages.filter((m) => m.batchUuid === batchUuid).flatMap((m) => m.documents.map((d) => d.uuid)),
      );
      if (uuids.some((u) => inBatch.has(u)))
        throw new Reject(400, 'DUPLICATE_DOCUMENT_ID_FOR_BATCH', 'A document uuid is already in this batch');
    }
    if (uuids.some((u) => usedDocumentUuids.has(`${broker.userId}/${u}`)))
      throw new Reject(400, 'DUPLICATE_DOCUMENT_ID', 'A document uuid has been previously used');

    const now = clock.now();
    const deliveryTimeText = text(message['delivery-time']);
    const deliveryTime = deliveryTimeText ? new Date(deliveryTimeText) : undefined;
    if (deliveryTime && deliveryTime < now)
      throw new Reject(400, 'DELIVERY_DATE_HISTORICAL', 'delivery-time is in the past', 'CONFIGURATION');

    const p = broker.permissions;
    if (!p.idporten && docs.some((d) => /^IDPORTEN_/.test(text(d['authentication-level']) ?? '')))
      throw new Reject(
        403,
        'NOT_APPROVED_FOR_IDPORTEN',
        'Sender is not approved for ID-porten levels',
        'CONFIGURATION',
      );
    if (!p.preencrypt && docs.some((d) => d.encrypted !== undefined))
      throw new Reject(
        403,
        'NOT_APPROVED_FOR_PREENCRYPT',
        'Sender is not approved for pre-encryption',
        'CONFIGURATION',
      );
    if (!p.technicalAttachments && docs.some((d) => d['@technical-type'] !== undefined))
      throw new Reject(
        403,
        'NOT_APPROVED_FOR_TECHNICAL_ATTACHMENTS',
        'Sender is not approved for technical attachments',
        'CONFIGURATION',
      );
    if (
      !p.notificationAddresses &&
      docs.some(
        (d) =>
          (d['email-notification'] as Xml | undefined)?.['email-address'] !== undefined ||
          (d['sms-notification'] as Xml | undefined)?.overrides !== undefined,
      )
    )
      throw new Reject(
        403,
        'NOTIFICATION_ADDRESSES_NOT_ALLOWED',
        'Sender may not choose notification addresses',
        'CONFIGURATION',
      );

    // Channel (§4.3): Digipost user → digital; otherwise print-details → print; otherwise 404.
    const recipient = message.recipient as Xml;
    const printDetails = recipient['print-details'] as Xml | undefined;
    const who = recipientOf(recipient);
    const registration = message['request-for-registration'] as Xml | undefined;
    const phone = text(registration?.['phone-number'])?.replace(/\s/g, '');
    // +47 is assumed only for 8-digit numbers; other numbers need a country prefix (§4.4).
    if (phone !== undefined && !/^(\+|00|011)/.test(phone) && !/^\d{8}$/.test(phone))
      throw new Reject(400, 'INVALID_PHONE_NUMBER', 'Phone number needs a country prefix');
    let channel: SimChannel;
    if (!who) {
      if (!printDetails)
        throw new Reject(400, 'MISSING_RECIPIENT', 'No recipient identifier and no print-details');
      if (!p.directPrint)
        throw new Reject(
          403,
          'NOT_APPROVED_FOR_DIRECT_PRINT',
          'Sender is not approved for direct print',
          'CONFIGURATION',
        );
      channel = 'PRINT';
    } else if (who.person.kind === 'DIGIPOST') channel = 'DIGIPOST';
    else if (registration !== undefined && recipient['personal-identification-number'] !== undefined)
      channel = 'PENDING';
    else if (printDetails) {
      if (!p.print)
        throw new Reject(403, 'NOT_APPROVED_FOR_PRINT', 'Sender is not approved for print', 'CONFIGURATION');
      channel = 'PRINT';
    } else throw new Reject(404, 'UNKNOWN_RECIPIENT', 'The recipient does not have a Digipost account.');

    const printIfUnread = message['print-if-unread'] as Xml | undefined;
    if (printIfUnread && !p.print)
      throw new Reject(403, 'NOT_APPROVED_FOR_PRINT', 'Sender is not approved for print', 'CONFIGURATION');
    const registrationPrint = registration?.['print-details'] !== undefined;
    if (channel === 'PENDING' && registrationPrint && !p.print)
      throw new Reject(403, 'NOT_APPROVED_FOR_PRINT', 'Sender is not approved for print', 'CONFIGURATION');
    const mayPrint =
      channel === 'PRINT' ||
      (printIfUnread !== undefined && channel === 'DIGIPOST') ||
      (channel === 'PENDING' && registrationPrint);
    if (mayPrint) {
      if (docs.some((d) => text(d['file-type'])!.toLowerCase() !== 'pdf'))
        throw new Reject(400, 'CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF', 'Print requires PDF documents');
      for (const u of uuids) {
        const bad = await printabilityError(parts.get(u)!, p.maxPrintPages);
        if (bad) throw new Reject(400, 'INVALID_PDF_CONTENT', `${bad.error}: ${bad.detail}`);
      }
    } else if (docs.some((d) => !p.fileTypes.includes(text(d['file-type'])!.toLowerCase())))
      throw new Reject(400, 'ILLEGAL_CONTENT_TYPE', 'File type not allowed for this sender');

    const inBatch = batch !== undefined;
    const delivered = !inBatch && (channel === 'PRINT' || (channel === 'DIGIPOST' && !deliveryTime));
    const stored: ReceivedMessage = {
      ...(messageId !== undefined ? { messageId } : {}),
      brokerId: broker.userId,
      senderId: sender,
      channel,
      recipientKey: who?.key ?? 'direct-print',
      receivedAt: now,
      printed: false,
      ...(batchUuid ? { batchUuid } : {}),
      ...(deliveryTime ? { deliveryTime } : {}),
      ...(printIfUnread
        ? { printIfUnreadAfter: new Date(text(printIfUnread['print-if-unread-after'])!) }
        : {}),
      ...(channel === 'PRINT' && !inBatch ? { printAt: nextPrintRun(now) } : {}),
      ...(channel === 'PENDING'
        ? {
            registration: {
              deadline: new Date(text(registration!['registration-deadline'])!),
              print: registrationPrint,
            },
          }
        : {}),
      nondeliverableHandling: text(printDetails?.['nondeliverable-handling']) ?? 'RETURN_TO_SENDER',
      documents: docs.map((d, i) => {
        const content = parts.get(uuids[i]!)!;
        return {
          uuid: uuids[i]!,
          subject: text(d.subject)!,
          fileType: text(d['file-type'])!,
          content,
          contentHash: createHash('sha256').update(content).digest('base64'),
          isPrimary: i === 0,
          authenticationLevel: text(d['authentication-level']) ?? 'PASSWORD',
          sensitivityLevel: text(d['sensitivity-level']) ?? 'NORMAL',
          status: delivered ? 'DELIVERED' : 'NOT_DELIVERED',
          created: now,
          ...(delivered ? { delivered: now } : {}),
          ...(d['opening-receipt'] !== undefined ? { read: 'N' as const } : {}),
        };
      }),
    };
    if (messageId !== undefined) usedMessageIds.add(`${broker.userId}/${messageId}`);
    for (const u of uuids) usedDocumentUuids.add(`${broker.userId}/${u}`);
    messages.push(stored);
    if (batch) batch.status = 'NOT_COMMITTED';
    const status =
      inBatch || channel === 'PENDING'
        ? 'COMPLETE'
        : channel === 'PRINT'
          ? 'DELIVERED_TO_PRINT'
          : 'DELIVERED';
    return { message: stored, status };
  }

  app.post(
    '/messages',
    handle(async (req, res, broker) => {
      const { message: m, status } = await accept(broker, req.header('content-type') ?? '', raw(req));
      while (state.holdResponses) await new Promise((r) => setTimeout(r, 50));
      const echo = (d: StoredDocument) => ({
        uuid: d.uuid,
        subject: m.channel === 'PRINT' ? 'N/A' : d.subject,
        'file-type': d.fileType,
        'authentication-level': d.authenticationLevel,
        'sensitivity-level': d.sensitivityLevel,
        'content-hash': { '@hash-algorithm': 'SHA256', '#text': d.contentHash },
      });
      const when = m.deliveryTime ?? m.documents[0]!.delivered;
      reply(
        req,
        res,
        201,
        'message-delivery',
        {
          ...(m.messageId !== undefined ? { 'message-id': m.messageId } : {}),
          'delivery-method': m.channel,
          'sender-id': m.senderId,
          status,
          ...(when && !m.batchUuid ? { 'delivery-time': osloIso(when) } : {}),
          'primary-document': echo(m.documents[0]!),
          ...(m.documents.length > 1 ? { attachment: m.documents.slice(1).map(echo) } : {}),
        },
        { Location: `${base}/messages/${randomUUID()}` },
      );
    }),
  );

  // ---- document status (§7, §15.6) ----
  const documentStatus = handle((req, res, broker) => {
    const { senderId, uuid } = req.params as { senderId: string; uuid: string };
    if (senderId !== broker.userId && !broker.senders.includes(senderId))
      throw new Reject(
        403,
        'BROKER_NOT_AUTHORIZED',
        `Broker may not read documents of ${senderId}`,
        'CONFIGURATION',
      );
    const found = findDocument(uuid);
    if (!found || found.m.brokerId !== broker.userId || found.m.senderId !== senderId)
      throw new Reject(404, 'DOCUMENT_NOT_FOUND', `No document ${uuid}`, 'CLIENT_TECHNICAL');
    const attrs = (d: StoredDocument) => ({
      '@uuid': d.uuid,
      '@sender-id': found.m.senderId,
      '@status': d.status,
      '@created': osloIso(d.created),
      ...(d.delivered ? { '@delivered': osloIso(d.delivered) } : {}),
      ...(d.read ? { '@read': d.read } : {}),
      '@channel': found.m.channel,
      '@is-primary-document': String(d.isPrimary),
      '@content-hash': d.contentHash,
      '@content-hash-algorithm': 'SHA256',
    });
    const attachments = found.d.isPrimary ? found.m.documents.slice(1).map(attrs) : [];
    reply(req, res, 200, 'document-status', {
      ...attrs(found.d),
      ...(attachments.length ? { attachments } : {}),
    });
  });
  app.get('/documents/:senderId/:uuid/status', documentStatus);
  app.get('/documents/:senderId/status/:uuid', documentStatus);

  // ---- document events (§8) ----
  app.get(
    '/documents/events',
    handle((req, res, broker) => {
      const q = new URLSearchParams(req.originalUrl.split('?')[1] ?? '');
      const from = q.get('from');
      const to = q.get('to');
      if (!from || !to)
        throw new Reject(400, 'INVALID_QUERY_PARAMETER', 'from and to are required', 'CLIENT_TECHNICAL');
      const dateOf = (s: string) => {
        const t = Date.parse(s);
        if (!/^\d{4}-\d{2}-\d{2}T/.test(s) || Number.isNaN(t))
          throw new Reject(400, 'INVALID_DATE', `Not a date-time: ${s}`, 'CLIENT_TECHNICAL');
        return t;
      };
      const f = dateOf(from);
      const t = dateOf(to);
      if (f > t) throw new Reject(400, 'INVALID_DATE_RANGE', 'from is after to', 'CLIENT_TECHNICAL');
      const int = (name: string, dflt: number, min: number, max: number) => {
        const v = q.get(name);
        if (v === null) return dflt;
        const n = Number(v);
        if (!/^\d+$/.test(v) || n < min || n > max)
          throw new Reject(
            400,
            'INVALID_QUERY_PARAMETER',
            `${name} must be an integer in ${min}..${max}`,
            'CLIENT_TECHNICAL',
          );
        return n;
      };
      const offset = int('offset', 0, 0, Number.MAX_SAFE_INTEGER);
      const maxResults = int('maxResults', 100, 1, MAX_EVENT_RESULTS);
      const sender = q.get('sender');
      if (sender !== null && sender !== broker.userId && !broker.senders.includes(sender))
        throw new Reject(
          403,
          'BROKER_NOT_AUTHORIZED',
          `Broker may not read events of ${sender}`,
          'CONFIGURATION',
        );
      const page = events
        .map((e, seq) => ({ e, seq }))
        .filter(({ e }) => e.brokerId === broker.userId && (sender === null || e.senderId === sender))
        .filter(({ e }) => e.created.getTime() >= f && e.created.getTime() < t)
        .sort((a, b) => a.e.created.getTime() - b.e.created.getTime() || a.seq - b.seq)
        .slice(offset, offset + maxResults)
        .map(({ e }) => ({
          '@uuid': e.uuid,
          '@type': e.type,
          '@created': osloIso(e.created),
          '@document-created': osloIso(e.documentCreated),
          ...(e.metadata
            ? {
                metadata: {
                  '@xsi:type': e.metadata.xsiType,
                  ...Object.fromEntries(Object.entries(e.metadata.attributes).map(([k, v]) => [`@${k}`, v])),
                },
              }
            : {}),
        }));
      reply(req, res, 200, 'document-events', { '@xmlns:xsi': XSI, ...(page.length ? { event: page } : {}) });
    }),
  );

  // ---- batches (§9, §15.12) ----
  const batchXml = (b: SimBatch) => {
    const members = messages.filter((m) => m.batchUuid === b.uuid);
    const open = b.status === 'CREATED' || b.status === 'NOT_COMMITTED';
    return {
      uuid: b.uuid,
      status: b.status,
      'count-digipost': members.filter((m) => m.channel === 'DIGIPOST').length,
      'count-print': members.filter((m) => m.channel === 'PRINT').length,
      link: [
        link('self', `/batch/${b.uuid}`),
        ...(open
          ? [link('complete_batch', `/batch/${b.uuid}/complete`), link('self_delete', `/batch/${b.uuid}`)]
          : []),
      ],
    };
  };
  const batchOf = (req: Request, broker: Broker) => {
    const b = batches.get(String(req.params.uuid));
    if (!b || b.brokerId !== broker.userId)
      throw new Reject(404, 'UNKNOWN_BATCH', `Unknown batch ${req.params.uuid}`);
    return b;
  };
  app.post(
    '/batch',
    handle(async (req, res, broker) => {
      const b = await xmlBody(raw(req).toString('utf8'), 'batch');
      const uuid = text(b.uuid)!;
      if (batches.has(uuid))
        throw new Reject(400, 'PROBLEM_WITH_REQUEST', `Batch ${uuid} already exists`, 'CLIENT_TECHNICAL');
      const batch: SimBatch = { uuid, brokerId: broker.userId, status: 'CREATED', created: clock.now() };
      batches.set(uuid, batch);
      reply(req, res, 201, 'batch', batchXml(batch), { Location: `${base}/batch/${uuid}` });
    }),
  );
  app.get(
    '/batch/:uuid',
    handle((req, res, broker) => reply(req, res, 200, 'batch', batchXml(batchOf(req, broker)))),
  );
  app.post(
    '/batch/:uuid/complete',
    handle((req, res, broker) => {
      const b = batchOf(req, broker);
      if (b.status === 'CREATED' || b.status === 'NOT_COMMITTED') {
        const now = clock.now();
        Object.assign(b, { status: 'COMMITTED', committedAt: now });
        for (const m of messages.filter((x) => x.batchUuid === b.uuid)) {
          if (m.channel === 'PRINT') m.printAt = nextPrintRun(now);
          if (m.channel === 'PRINT' || (m.channel === 'DIGIPOST' && !m.deliveryTime))
            for (const d of m.documents) Object.assign(d, { status: 'DELIVERED', delivered: now });
        }
      }
      reply(req, res, 200, 'batch', batchXml(b));
    }),
  );
  app.delete(
    '/batch/:uuid',
    handle((req, res, broker) => {
      const b = batchOf(req, broker);
      if (b.status !== 'CREATED' && b.status !== 'NOT_COMMITTED')
        throw new Reject(
          400,
          'PROBLEM_WITH_REQUEST',
          `Batch ${b.uuid} is ${b.status} and can no longer be cancelled`,
          'CLIENT_TECHNICAL',
        );
      for (let i = messages.length - 1; i >= 0; i--)
        if (messages[i]!.batchUuid === b.uuid) {
          const [m] = messages.splice(i, 1);
          if (m!.messageId !== undefined) usedMessageIds.delete(`${m!.brokerId}/${m!.messageId}`);
          for (const d of m!.documents) usedDocumentUuids.delete(`${m!.brokerId}/${d.uuid}`);
        }
      batches.delete(b.uuid);
      send(req, res, 204, undefined);
    }),
  );

  app.use((req: Request, res: Response) =>
    auth(req, res)
      ? error(req, res, 404, 'GENERAL_ERROR', `No resource ${req.method} ${req.path}`, 'CLIENT_TECHNICAL')
      : undefined,
  );
  // Express recognises an error handler by its four parameters.
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  app.use((e: Error, req: Request, res: Response, _next: NextFunction) => {
    if (!res.headersSent) error(req, res, 500, 'SERVER_ERROR', e.message, 'SERVER');
  });

  const server: Server = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const address = server.address();
  const host = opts.host && opts.host !== '0.0.0.0' ? opts.host : '127.0.0.1';
  base = `http://${host}:${typeof address === 'object' && address ? address.port : 0}`;
  sim.url = base;
  return sim;
}
