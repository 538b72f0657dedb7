// Digipost API v8 simulator, first version: entry point, request authentication (digipost-api.md §1.2–1.3,
// implemented here independently of our client), signed responses (§1.4), POST /messages with multipart
// parsing, the duplicate rules of §5.2, and the channel chosen from a configurable population register.
import express, { type Request, type Response } from 'express';
import { boundaryOf, parseMultipart, type Part } from './multipart';
import { createHash, createSign, createVerify, generateKeyPairSync, randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import forge from 'node-forge';

const NS = 'http://api.digipost.no/schema/v8';
const V8 = 'application/vnd.digipost-v8+xml';

export type Person = { kind: 'DIGIPOST' } | { kind: 'IDENTIFIED' } | { kind: 'UNIDENTIFIED' };

export interface ReceivedMessage {
  messageId?: string;
  brokerId: string;
  channel: 'DIGIPOST' | 'PRINT';
  recipientKey: string;
  documents: { uuid: string; subject: string; fileType: string; content: Buffer }[];
  receivedAt: Date;
}

export interface DigipostSimulator {
  url: string;
  /** Register a broker with the PEM public key (SPKI) its requests are signed with. */
  addBroker(userId: string, publicKeyPem: string): void;
  /** The population register, keyed by national id. */
  setPerson(nationalId: string, person: Person): void;
  messages: ReceivedMessage[];
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

export async function startDigipostSimulator(opts: { port?: number } = {}): Promise<DigipostSimulator> {
  const { keyPem, certPem } = selfSignedCertificate();
  const brokers = new Map<string, string>();
  const people = new Map<string, Person>();
  const messages: ReceivedMessage[] = [];
  const usedMessageIds = new Set<string>();
  const usedDocumentUuids = new Set<string>();
  const builder = new XMLBuilder({ ignoreAttributes: false, attributeNamePrefix: '@' });
  const parser = new XMLParser({ ignoreAttributes: false, removeNSPrefix: true, parseTagValue: false });
  let base = '';
  const state: { holdResponses: boolean } = { holdResponses: false };

  /** Every response is signed, errors included: Date, X-Content-SHA256, X-Digipost-Signature (§1.4). */
  function send(
    req: Request,
    res: Response,
    status: number,
    xml: string,
    extra: Record<string, string> = {},
  ) {
    const body = Buffer.from(xml, 'utf8');
    const date = new Date().toUTCString();
    const hash = createHash('sha256').update(body).digest('base64');
    const path = req.originalUrl.split('?')[0]!.toLowerCase();
    const canonical = `${status}\n${path}\ndate: ${date}\nx-content-sha256: ${hash}\n`;
    const signature = createSign('RSA-SHA256').update(canonical, 'utf8').sign(keyPem, 'base64');
    res.status(status).set({
      'Content-Type': V8,
      'Content-Length': String(body.length),
      Date: date,
      'X-Content-SHA256': hash,
      'X-Digipost-Signature': signature,
      ...extra,
    });
    res.end(body);
  }
  /** An XML reply: the declaration, then `root` in the v8 namespace holding `content`. */
  const reply = (
    req: Request,
    res: Response,
    status: number,
    root: string,
    content: Record<string, unknown>,
    extra: Record<string, string> = {},
  ) =>
    send(
      req,
      res,
      status,
      '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
        builder.build({ [root]: { '@xmlns': NS, ...content } }),
      extra,
    );
  const error = (
    req: Request,
    res: Response,
    status: number,
    code: string,
    message: string,
    type = 'CLIENT_DATA',
  ) => reply(req, res, status, 'error', { 'error-code': code, 'error-message': message, 'error-type': type });

  /** Request authentication (§1.2, §1.3, §13.2); returns the broker id or answers the error itself. */
  function authenticate(req: Request, res: Response, body: Buffer): string | undefined {
    const userId = req.header('x-digipost-userid');
    const date = req.header('date');
    if (!userId)
      return void error(
        req,
        res,
        400,
        'INVALID_USER_ID_HEADER',
        'Missing X-Digipost-UserId header',
        'CLIENT_TECHNICAL',
      );
    if (!date)
      return void error(req, res, 400, 'MISSING_DATE_HEADER', 'Missing Date header', 'CLIENT_TECHNICAL');
    const t = Date.parse(date);
    if (Number.isNaN(t))
      return void error(
        req,
        res,
        400,
        'INVALID_DATE_HEADER',
        'Date header is not RFC 1123',
        'CLIENT_TECHNICAL',
      );
    if (Math.abs(Date.now() - t) > 5 * 60_000)
      return void error(
        req,
        res,
        400,
        'DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL',
        'Date differs from server time by more than 5 minutes',
        'CLIENT_TECHNICAL',
      );
    const hashHeader = req.header('x-content-sha256');
    if (body.length > 0) {
      if (!hashHeader)
        return void error(
          req,
          res,
          400,
          'MISSING_SHA256',
          'Missing X-Content-SHA256 header',
          'CLIENT_TECHNICAL',
        );
      if (createHash('sha256').update(body).digest('base64') !== hashHeader)
        return void error(
          req,
          res,
          400,
          'INVALID_SHA256',
          'X-Content-SHA256 does not match the body',
          'CLIENT_TECHNICAL',
        );
    }
    const publicKey = brokers.get(userId);
    if (!publicKey)
      return void error(req, res, 403, 'UNKNOWN_USER_ID', `Unknown user id ${userId}`, 'CLIENT_TECHNICAL');
    const [path, query = ''] = req.originalUrl.split('?') as [string, string?];
    let canonical = `${req.method.toUpperCase()}\n${path.toLowerCase()}\ndate: ${date}\n`;
    if (hashHeader) canonical += `x-content-sha256: ${hashHeader}\n`;
    canonical += `x-digipost-userid: ${userId}\n${query.toLowerCase()}\n`;
    const signature = req.header('x-digipost-signature') ?? '';
    const ok = createVerify('RSA-SHA256').update(canonical, 'utf8').verify(publicKey, signature, 'base64');
    if (!ok)
      return void error(
        req,
        res,
        403,
        'INVALID_SIGNATURE',
        `Ugyldig signatur. Forventet signert streng: ===START===${canonical}===SLUTT===`,
        'CLIENT_TECHNICAL',
      );
    return userId;
  }

  const app = express();
  app.disable('x-powered-by');
  app.use((req, _res, next) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      (req as Request & { rawBody: Buffer }).rawBody = Buffer.concat(chunks);
      next();
    });
  });
  const raw = (req: Request) => (req as Request & { rawBody: Buffer }).rawBody;

  const entrypoint = (req: Request, res: Response) => {
    const rel = (name: string, uri: string) => ({
      '@rel': `${base}/relations/${name}`,
      '@uri': `${base}${uri}`,
      '@media-type': V8,
    });
    // Only relations this simulator serves are advertised (identification comes with issue 3).
    reply(req, res, 200, 'entrypoint', {
      certificate: certPem.trim(),
      link: [rel('create_message', '/messages')],
    });
  };
  app.get('/', entrypoint);

  app.post('/messages', async (req, res) => {
    const body = raw(req);
    const brokerId = authenticate(req, res, body);
    if (!brokerId) return;
    const ct = req.header('content-type') ?? '';
    if (!/^multipart\/(vnd\.digipost-v8\+xml|mixed|form-data)\s*;.*boundary=/i.test(ct))
      return error(
        req,
        res,
        400,
        'PROBLEM_WITH_REQUEST',
        'Expected multipart/vnd.digipost-v8+xml with a boundary',
        'CLIENT_TECHNICAL',
      );
    const parts = new Map<string, Buffer>();
    let parsed: Part[];
    try {
      parsed = parseMultipart(body, boundaryOf(ct)!);
    } catch (e) {
      return error(
        req,
        res,
        400,
        'PROBLEM_WITH_REQUEST',
        `Malformed multipart body: ${(e as Error).message}`,
        'CLIENT_TECHNICAL',
      );
    }
    if (parsed.some((p) => !p.headers['content-disposition']))
      return error(
        req,
        res,
        400,
        'MISSING_BODYPART_CONTENT_DISPOSITION',
        'A body part has no Content-Disposition',
        'CLIENT_TECHNICAL',
      );
    const missingDisposition = parsed.some((p) => !p.filename);
    for (const p of parsed) if (p.filename) parts.set(p.filename, p.body);
    {
      if (missingDisposition)
        return error(
          req,
          res,
          400,
          'MISSING_BODYPART_FILENAME',
          'A body part has no filename',
          'CLIENT_TECHNICAL',
        );
      const xml = parts.get('message');
      if (!xml)
        return error(
          req,
          res,
          400,
          'MISSING_BODYPART_FILENAME',
          'No part with filename "message"',
          'CLIENT_TECHNICAL',
        );
      // Parsed XML is untyped by nature; each field used below is checked where it is read.
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      let message: Record<string, any>;
      try {
        message = parser.parse(xml.toString('utf8')).message;
        if (!message) throw new Error('no <message> root');
      } catch (e) {
        return error(
          req,
          res,
          400,
          'SCHEMA_VALIDATION_ERROR',
          `Invalid message XML: ${(e as Error).message}`,
          'CLIENT_TECHNICAL',
        );
      }
      const docs = [message['primary-document'], ...[message.attachment ?? []].flat()].filter(Boolean);
      if (docs.length !== parts.size - 1 || docs.some((d) => !parts.has(String(d.uuid))))
        return error(
          req,
          res,
          400,
          'DOCUMENTS_AND_FILES_MISMATCH',
          'Documents in the message and body parts do not match',
          'CLIENT_TECHNICAL',
        );
      if (docs.some((d) => !String(d.subject ?? '').trim()))
        return error(req, res, 400, 'MISSING_SUBJECT', 'A document has a blank subject');
      const messageId = message['message-id'] ? String(message['message-id']) : undefined;
      if (messageId && usedMessageIds.has(`${brokerId}/${messageId}`))
        return error(req, res, 400, 'DUPLICATE_MESSAGE', 'The message-id has been previously used');
      if (docs.some((d) => usedDocumentUuids.has(`${brokerId}/${d.uuid}`)))
        return error(req, res, 400, 'DUPLICATE_DOCUMENT_ID', 'A document uuid has been previously used');
      const recipient = message.recipient ?? {};
      const nationalId = recipient['personal-identification-number']
        ? String(recipient['personal-identification-number'])
        : undefined;
      const person = nationalId ? people.get(nationalId) : undefined;
      const hasPrint = recipient['print-details'] !== undefined;
      let channel: 'DIGIPOST' | 'PRINT';
      if (person?.kind === 'DIGIPOST') channel = 'DIGIPOST';
      else if (hasPrint) channel = 'PRINT';
      else
        return error(req, res, 404, 'UNKNOWN_RECIPIENT', 'The recipient does not have a Digipost account.');
      if (channel === 'PRINT' && docs.some((d) => String(d['file-type']).toLowerCase() !== 'pdf'))
        return error(req, res, 400, 'CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF', 'Print requires PDF documents');
      if (messageId) usedMessageIds.add(`${brokerId}/${messageId}`);
      for (const d of docs) usedDocumentUuids.add(`${brokerId}/${d.uuid}`);
      messages.push({
        messageId,
        brokerId,
        channel,
        recipientKey: nationalId ?? 'direct-print',
        documents: docs.map((d) => ({
          uuid: String(d.uuid),
          subject: String(d.subject),
          fileType: String(d['file-type']),
          content: parts.get(String(d.uuid))!,
        })),
        receivedAt: new Date(),
      });
      const echo = (d: Record<string, unknown>) => ({
        uuid: String(d.uuid),
        subject: channel === 'PRINT' ? 'N/A' : String(d.subject),
        'file-type': String(d['file-type']),
        'authentication-level': String(d['authentication-level'] ?? 'PASSWORD'),
        'sensitivity-level': String(d['sensitivity-level'] ?? 'NORMAL'),
        'content-hash': {
          '@hash-algorithm': 'SHA256',
          '#text': createHash('sha256')
            .update(parts.get(String(d.uuid))!)
            .digest('base64'),
        },
      });
      const id = randomUUID();
      while (state.holdResponses) await new Promise((r) => setTimeout(r, 50));
      reply(
        req,
        res,
        201,
        'message-delivery',
        {
          ...(messageId ? { 'message-id': messageId } : {}),
          'delivery-method': channel,
          'sender-id': brokerId,
          status: channel === 'PRINT' ? 'DELIVERED_TO_PRINT' : 'DELIVERED',
          'delivery-time': new Date().toISOString(),
          'primary-document': echo(docs[0]),
          ...(docs.length > 1 ? { attachment: docs.slice(1).map(echo) } : {}),
        },
        { Location: `${base}/messages/${id}` },
      );
    }
  });

  app.get('/documents/:senderId/:uuid/status', (req, res) => {
    const brokerId = authenticate(req, res, raw(req));
    if (!brokerId) return;
    const m = messages.find(
      (x) => x.brokerId === brokerId && x.documents.some((d) => d.uuid === req.params.uuid),
    );
    if (!m)
      return error(req, res, 404, 'DOCUMENT_NOT_FOUND', `No document ${req.params.uuid}`, 'CLIENT_TECHNICAL');
    const at = m.receivedAt.toISOString();
    reply(req, res, 200, 'document-status', {
      '@uuid': req.params.uuid,
      '@sender-id': brokerId,
      '@status': 'DELIVERED',
      '@created': at,
      '@delivered': at,
      '@channel': m.channel,
      '@is-primary-document': 'true',
    });
  });

  app.get('/admin/messages', (_req, res) => {
    res.json(
      messages.map((m) => ({
        ...m,
        documents: m.documents.map((d) => ({ ...d, content: d.content.length })),
      })),
    );
  });

  const server: Server = app.listen(opts.port ?? 0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  return Object.assign(state, {
    url: base,
    addBroker: (id: string, pem: string) => void brokers.set(id, pem),
    setPerson: (nid: string, p: Person) => void people.set(nid, p),
    messages,
    close: () => {
      state.holdResponses = false;
      server.closeAllConnections();
      return new Promise<void>((r) => server.close(() => r()));
    },
  });
}
