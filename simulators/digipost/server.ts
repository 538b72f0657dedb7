// Digipost API v8 simulator (digipost-api.md, §15 wins): entry points with certificate and links, request
// authentication, signed responses, XSD validation of every XML body, identification, sending with print
// fallback / direct print / print-if-unread, the print checks of §4.5, document status and events, batches,
// a business clock, a population register, per-broker permissions, and fault injection. Test-only control
// goes through the returned object or the admin HTTP API (admin.ts). See README.md in this folder.
import express, { type NextFunction, type Request, type Response } from 'express';
import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import type { Server } from 'node:http';
import forge from 'node-forge';
import { adminRouter } from './admin';
import { authenticate, responseHeaders } from './auth';
import { osloIso } from './clock';
import { identify } from './identification';
import {
  makeBroker,
  type Broker,
  type BrokerOptions,
  type Organisation,
  type Permissions,
  type Person,
} from './register';
import { acceptMessage } from './sending';
import {
  METADATA_TYPES,
  Reject,
  SimState,
  type ReceivedMessage,
  type SimBatch,
  type SimEvent,
  type StoredDocument,
} from './state';
import { document, text, v8Validator, validXml, type Xml } from './xml';

export type { BatchStatus, ReceivedMessage, SimBatch, SimChannel, SimEvent, StoredDocument } from './state';
export type { Organisation, Person, Permissions, BrokerOptions };

const V8 = 'application/vnd.digipost-v8+xml';
const XSI = 'http://www.w3.org/2001/XMLSchema-instance';
const MAX_EVENT_RESULTS = 10_000;

/**
 * A fault applies to the next `times` (default 1) matching requests; with `rate` instead, to that fraction of
 * matching requests, chosen at random, until faults are cleared. Admin requests are never affected.
 */
export type Fault = (
  | { kind: 'status'; status: number; code?: string; message?: string }
  | { kind: 'slow'; ms: number }
  | { kind: 'drop'; after?: boolean }
  | { kind: 'bad-signature' }
  | { kind: 'skewed-date'; ms: number }
) & {
  times?: number;
  /** 0 < rate ≤ 1: each matching request fails with this probability (e.g. 0.2 for one call in five). */
  rate?: number;
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
  /** Organisation register: `{ kind: 'DIGIPOST' }` has a Digipost mailbox, `{ kind: 'UNIDENTIFIED' }` not. */
  setOrganisation(orgNumber: string, organisation: Organisation): void;
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
  /** Holds a letter's print run back by `ms` (a late POSTMARKED); the letter must not be printed yet. */
  delayPrint(documentUuid: string, ms: number): void;
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

function selfSignedCertificate(): { key: KeyObject; certPem: string } {
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
  return { key: privateKey, certPem: forge.pki.certificateToPem(cert) };
}

export async function startDigipostSimulator(
  opts: { port?: number; host?: string } = {},
): Promise<DigipostSimulator> {
  let signing = selfSignedCertificate();
  // The recipients' key, as Digipost serves it: a PEM SubjectPublicKeyInfo (`-----BEGIN PUBLIC KEY-----`), which
  // Digipost's own client parses; a certificate there makes it fail (digipost-api.md §3, §15).
  const recipientKey = generateKeyPairSync('rsa', { modulusLength: 2048 })
    .publicKey.export({ type: 'spki', format: 'pem' })
    .toString();
  const st = new SimState();
  const xsd = v8Validator();
  const faults: Fault[] = [];
  const state = { holdResponses: false };
  let base = '';

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
      privateKey: signing.key,
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
        const b = st.brokers.get(id);
        return b ? (b.publicKey ?? null) : undefined;
      },
    );
    if ('code' in result)
      return void error(req, res, result.status, result.code, result.message, 'CLIENT_TECHNICAL');
    return st.brokers.get(result.userId)!;
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
      void st.brokers.set(id, makeBroker(id, pem, o)),
    setPermissions: (id: string, p: Partial<Permissions>) => {
      const b = st.brokers.get(id);
      if (!b) throw new Error(`no broker ${id}`);
      b.permissions = { ...b.permissions, ...p };
    },
    setPerson: (nid: string, p: Person) => {
      st.people.set(nid, p);
      st.wake();
    },
    setOrganisation: (orgNumber: string, o: Organisation) => void st.organisations.set(orgNumber, o),
    messages: st.messages,
    batches: () => (st.tick(), [...st.batches.values()]),
    events: () => (st.tick(), st.events),
    now: () => st.clock.now(),
    setNow: (at: Date) => (st.clock.set(at), st.tick()),
    advanceClock: (ms: number) => (st.clock.advance(ms), st.tick()),
    injectEvent: (
      uuid: string,
      type: string,
      attributes?: Record<string, string>,
      o: { created?: Date; xsiType?: string } = {},
    ) => {
      const found = st.findDocument(uuid);
      if (!found) throw new Error(`no document ${uuid}`);
      const xsiType =
        o.xsiType ?? METADATA_TYPES[type] ?? `${type.toLowerCase().replace(/_/g, '-')}-metadata`;
      return st.addEvent(
        found.m,
        found.d,
        type,
        o.created ?? st.clock.now(),
        attributes ? { xsiType, attributes } : undefined,
      );
    },
    delayPrint: (uuid: string, ms: number) => {
      const found = st.findDocument(uuid);
      if (!found?.m.printAt || found.m.printed) throw new Error(`document ${uuid} has no print run to delay`);
      found.m.printAt = new Date(found.m.printAt.getTime() + ms);
    },
    openDocument: (uuid: string) => {
      const found = st.findDocument(uuid);
      if (!found) throw new Error(`no document ${uuid}`);
      if (found.d.read) found.d.read = 'Y';
      st.addEvent(found.m, found.d, 'OPENED', st.clock.now());
    },
    fault: (f: Fault) => {
      if (f.rate !== undefined && !(f.rate > 0 && f.rate <= 1))
        throw new Error(`fault rate must be in (0, 1], got ${f.rate}`);
      faults.push({ ...f });
    },
    clearFaults: () => void faults.splice(0),
    rotateKey: () => void (signing = selfSignedCertificate()),
    close: async () => {
      state.holdResponses = false;
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await xsd.close();
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

  // Fault injection, then the business st.clock catches up.
  app.use(async (req: Request, res: Response, next: NextFunction) => {
    const path = req.originalUrl.split('?')[0]!.toLowerCase();
    const i = faults.findIndex(
      (f) =>
        (!f.method || f.method.toUpperCase() === req.method) &&
        (f.path === undefined || (f.path === '/' ? path === '/' : path.startsWith(f.path.toLowerCase()))) &&
        (f.rate === undefined || Math.random() < f.rate),
    );
    const f = i < 0 ? undefined : faults[i]!;
    if (f && f.rate === undefined) {
      f.times = (f.times ?? 1) - 1;
      if (f.times <= 0) faults.splice(i, 1);
    }
    st.tick();
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
      if (sender !== broker.userId && !broker.senders.includes(sender))
        throw new Reject(403, 'BROKER_NOT_AUTHORIZED', `Broker may not act for ${sender}`, 'CONFIGURATION');
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

  app.post(
    '/identification',
    handle(async (req, res) => {
      const id = await validXml(xsd, raw(req).toString('utf8'), 'identification');
      reply(req, res, 200, 'identification-result', identify(st.people, st.organisations, id));
    }),
  );
  app.post(
    '/identification/with-encryption-key',
    handle(async (req, res) => {
      const id = await validXml(xsd, raw(req).toString('utf8'), 'identification');
      const result = identify(st.people, st.organisations, id);
      reply(req, res, 200, 'identification-result-with-encryption-key', {
        'identification-result': result,
        ...(result.result === 'DIGIPOST'
          ? { 'encryption-key': { '@key-id': 'sim-recipient-key', '#text': recipientKey.trim() } }
          : {}),
      });
    }),
  );

  app.post(
    '/messages',
    handle(async (req, res, broker) => {
      const { message: m, status } = await acceptMessage(
        st,
        xsd,
        broker,
        req.header('content-type') ?? '',
        raw(req),
      );
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
    const found = st.findDocument(uuid);
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
      const found: SimEvent[] = [];
      let skipped = 0;
      for (const e of st.eventsInWindow(broker.userId, f, t)) {
        if (sender !== null && e.senderId !== sender) continue;
        if (skipped++ < offset) continue;
        found.push(e);
        if (found.length === maxResults) break;
      }
      const page = found.map((e) => ({
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
    const members = st.batchMembers(b.uuid);
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
    const b = st.batches.get(String(req.params.uuid));
    if (!b || b.brokerId !== broker.userId)
      throw new Reject(404, 'UNKNOWN_BATCH', `Unknown batch ${req.params.uuid}`);
    return b;
  };
  app.post(
    '/batch',
    handle(async (req, res, broker) => {
      const b = await validXml(xsd, raw(req).toString('utf8'), 'batch');
      const uuid = text(b.uuid)!;
      if (st.batches.has(uuid))
        throw new Reject(400, 'PROBLEM_WITH_REQUEST', `Batch ${uuid} already exists`, 'CLIENT_TECHNICAL');
      const batch: SimBatch = { uuid, brokerId: broker.userId, status: 'CREATED', created: st.clock.now() };
      st.batches.set(uuid, batch);
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
      st.commitBatch(b);
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
      st.cancelBatch(b);
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
