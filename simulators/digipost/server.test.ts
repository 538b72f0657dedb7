// The simulator on its own, over raw HTTP: what it rejects, with the status and code of digipost-api.md §6,
// and that every answer (errors included) is signed. Requests are signed with the client's golden-tested
// signing (integrations/digipost/signing.ts); the simulator does its own verification.
import { opensslVerify } from '../../test/support/openssl';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createHash,
  createPublicKey,
  createVerify,
  generateKeyPairSync,
  randomUUID,
  X509Certificate,
} from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { startDigipostSimulator, type DigipostSimulator } from './server';
import { v8Validator } from './xml';
import { signedHeaders } from '../../integrations/digipost/signing';
import { renderLetterPdf } from '../../documents/letter-pdf';

const MM = 72 / 25.4;
const V8 = 'application/vnd.digipost-v8+xml';
const NS = 'http://api.digipost.no/schema/v8';
const USER = '01019010046';
const NON_USER = '01019010127';
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const priv = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pub = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();

let sim: DigipostSimulator;
let letter: Uint8Array;

beforeAll(async () => {
  sim = await startDigipostSimulator();
  sim.addBroker('9999', pub);
  sim.addBroker('7777', pub, { permissions: { print: false, directPrint: false } });
  sim.addBroker('5555', null);
  sim.setPerson(USER, { kind: 'DIGIPOST' });
  sim.setPerson(NON_USER, { kind: 'IDENTIFIED' });
  letter = await renderLetterPdf({ title: 'Vedtak', addressLines: ['Ola Nordmann'], fields: {} });
});
afterAll(() => sim.close());

interface Answer {
  status: number;
  body: string;
  headers: Headers;
  code?: string;
}

async function call(
  method: string,
  path: string,
  opts: {
    body?: Buffer | string;
    contentType?: string;
    userId?: string;
    now?: Date;
    tamper?: (h: Record<string, string>) => void;
  } = {},
): Promise<Answer> {
  const url = new URL(path, sim.url);
  const body = typeof opts.body === 'string' ? Buffer.from(opts.body) : opts.body;
  const headers: Record<string, string> = {
    Accept: V8,
    ...signedHeaders({
      method,
      url,
      body,
      userId: opts.userId ?? '9999',
      privateKeyPem: priv,
      now: opts.now,
    }),
  };
  if (opts.contentType ?? (body && V8)) headers['Content-Type'] = opts.contentType ?? V8;
  opts.tamper?.(headers);
  const res = await fetch(url, { method, headers, body: body ? new Uint8Array(body) : undefined });
  const text = await res.text();
  return {
    status: res.status,
    body: text,
    headers: res.headers,
    code: /<error-code>([^<]*)</.exec(text)?.[1],
  };
}

function multipart(xml: string, files: Record<string, Uint8Array>, boundary = randomUUID()) {
  const chunks = [
    Buffer.from(
      `--${boundary}\r\nContent-Type: ${V8}; charset=UTF-8\r\nContent-Disposition: attachment; filename="message"\r\n\r\n${xml}\r\n`,
    ),
  ];
  for (const [name, content] of Object.entries(files))
    chunks.push(
      Buffer.from(
        `--${boundary}\r\nContent-Type: application/pdf\r\nContent-Disposition: attachment; filename="${name}"\r\n\r\n`,
      ),
      Buffer.from(content),
      Buffer.from('\r\n'),
    );
  chunks.push(Buffer.from(`--${boundary}--\r\n`));
  return { body: Buffer.concat(chunks), contentType: `multipart/vnd.digipost-v8+xml; boundary=${boundary}` };
}

const PRINT_DETAILS =
  '<print-details><recipient><name>Ola Nordmann</name><norwegian-address><addressline1>Prinsensveien 123</addressline1>' +
  '<zip-code>0460</zip-code><city>Oslo</city></norwegian-address></recipient><return-address><name>Oslo kommune</name>' +
  '<norwegian-address><addressline1>Postboks 1</addressline1><zip-code>0037</zip-code><city>Oslo</city></norwegian-address>' +
  '</return-address></print-details>';

function message(o: {
  messageId?: string;
  uuid?: string;
  recipient?: string;
  subject?: string;
  fileType?: string;
  level?: string;
  senderId?: string;
  tail?: string;
}) {
  return (
    `<?xml version="1.0" encoding="UTF-8"?><message xmlns="${NS}">` +
    `<message-id>${o.messageId ?? randomUUID()}</message-id>` +
    (o.senderId ? `<sender-id>${o.senderId}</sender-id>` : '') +
    `<recipient>${o.recipient ?? `<personal-identification-number>${USER}</personal-identification-number>`}</recipient>` +
    `<primary-document><uuid>${o.uuid ?? randomUUID()}</uuid><subject>${o.subject ?? 'Vedtak'}</subject>` +
    `<file-type>${o.fileType ?? 'pdf'}</file-type>` +
    (o.level ? `<authentication-level>${o.level}</authentication-level>` : '') +
    `</primary-document>${o.tail ?? ''}</message>`
  );
}

async function send(xml: string, files?: Record<string, Uint8Array>, userId?: string) {
  const uuid = /<primary-document><uuid>([^<]+)</.exec(xml)?.[1] ?? 'none';
  const mp = multipart(xml, files ?? { [uuid]: letter });
  return call('POST', '/messages', { body: mp.body, contentType: mp.contentType, userId });
}

function verifies(a: Answer, path: string): boolean {
  const cert = new X509Certificate(sim.certificatePem);
  let canonical = `${a.status}\n${path.toLowerCase()}\ndate: ${a.headers.get('date')}\n`;
  if (a.headers.get('x-content-sha256'))
    canonical += `x-content-sha256: ${a.headers.get('x-content-sha256')}\n`;
  return createVerify('RSA-SHA256')
    .update(canonical)
    .verify(cert.publicKey, a.headers.get('x-digipost-signature') ?? '', 'base64');
}

describe('Digipost simulator: entry points', () => {
  it('serves the root entry point with its certificate and a link for every relation it serves', async () => {
    const a = await call('GET', '/');
    expect(a.status).toBe(200);
    expect(verifies(a, '/')).toBe(true);
    expect(a.body).toContain('-----BEGIN CERTIFICATE-----');
    for (const rel of [
      'create_message',
      'identify_recipient',
      'identify_recipient_with_encryption_key',
      'document_events',
      'document_status',
      'create_batch',
      'get_batch',
    ])
      expect(a.body).toContain(`rel="${sim.url}/relations/${rel}"`);
    expect(a.body).toMatch(new RegExp(`rel="[^"]+/get_batch" uri="[^"]+/"`));
  });

  it('serves a sender-scoped entry point with the sender’s document_status link', async () => {
    const a = await call('GET', '/9999');
    expect(a.status).toBe(200);
    expect(a.body).toContain(`uri="${sim.url}/documents/9999/status/"`);
    const other = await call('GET', '/4242');
    expect([other.status, other.code]).toEqual([403, 'BROKER_NOT_AUTHORIZED']);
  });
});

describe('Digipost simulator: signed answers (§1.4)', () => {
  it('signs an error answer so that openssl verifies it with the entry point certificate', async () => {
    const a = await call('GET', `/batch/${randomUUID()}`);
    expect([a.status, a.code]).toEqual([404, 'UNKNOWN_BATCH']);
    const canonical =
      `404\n${'/batch/'}${/<error-message>Unknown batch ([^<]+)</.exec(a.body)![1]}\n` +
      `date: ${a.headers.get('date')}\nx-content-sha256: ${a.headers.get('x-content-sha256')}\n`;
    const dir = mkdtempSync(join(tmpdir(), 'sim-sig-'));
    try {
      writeFileSync(join(dir, 'cert.pem'), sim.certificatePem);
      execFileSync('openssl', [
        'x509',
        '-in',
        join(dir, 'cert.pem'),
        '-pubkey',
        '-noout',
        '-out',
        join(dir, 'pub.pem'),
      ]);
      const pub = readFileSync(join(dir, 'pub.pem'), 'utf8');
      const sig = Buffer.from(a.headers.get('x-digipost-signature')!, 'base64');
      expect(opensslVerify(pub, canonical, sig)).toBe('Verified OK');
      // openssl exits non-zero (throws) when the signature does not hold
      expect(() => opensslVerify(pub, canonical.replace('404', '200'), sig)).toThrow();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('sends Content-Length and one header casing, and the body hash matches the bytes', async () => {
    const a = await call('GET', '/');
    const raw = Buffer.from(a.body);
    expect(a.headers.get('content-length')).toBe(String(raw.length));
    expect(a.headers.get('x-content-sha256')).toBe(createHash('sha256').update(raw).digest('base64'));
  });
});

describe('Digipost simulator: request authentication (§1, §13.2)', () => {
  it('rejects a bad signature with 403 INVALID_SIGNATURE, echoing the canonical string, signed', async () => {
    const a = await call('GET', '/documents/events?from=x', {
      tamper: (h) => (h['X-Digipost-Signature'] = Buffer.from('nope').toString('base64')),
    });
    expect(a.status).toBe(403);
    expect(a.code).toBe('INVALID_SIGNATURE');
    expect(a.body).toContain(`===START===GET\n/documents/events\ndate: `);
    expect(a.body).toContain(`x-digipost-userid: 9999\nfrom=x\n===SLUTT===`);
    expect(verifies(a, '/documents/events')).toBe(true);
  });

  it('rejects clock skew over 5 minutes with 400 DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL', async () => {
    const a = await call('GET', '/', { now: new Date(Date.now() - 6 * 60_000) });
    expect([a.status, a.code]).toEqual([400, 'DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL']);
    expect((await call('GET', '/', { now: new Date(Date.now() - 4 * 60_000) })).status).toBe(200);
  });

  it('rejects a body whose X-Content-SHA256 does not match with 400 INVALID_SHA256', async () => {
    const a = await call('POST', '/identification', {
      body: `<identification xmlns="${NS}"><personal-identification-number>${USER}</personal-identification-number></identification>`,
      tamper: (h) => (h['X-Content-SHA256'] = Buffer.alloc(32).toString('base64')),
    });
    expect([a.status, a.code]).toEqual([400, 'INVALID_SHA256']);
  });

  it('rejects a body without X-Content-SHA256 (400 MISSING_SHA256) and requests without Date or user id', async () => {
    const body = `<batch xmlns="${NS}"><uuid>${randomUUID()}</uuid></batch>`;
    const a = await call('POST', '/batch', { body, tamper: (h) => delete h['X-Content-SHA256'] });
    expect([a.status, a.code]).toEqual([400, 'MISSING_SHA256']);
    const b = await call('GET', '/', { tamper: (h) => delete h.Date });
    expect([b.status, b.code]).toEqual([400, 'MISSING_DATE_HEADER']);
    const c = await call('GET', '/', { tamper: (h) => delete h['X-Digipost-UserId'] });
    expect([c.status, c.code]).toEqual([400, 'INVALID_USER_ID_HEADER']);
  });

  it('rejects an unknown user id (403 UNKNOWN_USER_ID) and a broker without certificate (403 MISSING_CERTIFICATE)', async () => {
    expect((await call('GET', '/', { userId: '1234' })).code).toBe('UNKNOWN_USER_ID');
    const a = await call('GET', '/', { userId: '5555' });
    expect([a.status, a.code]).toEqual([403, 'MISSING_CERTIFICATE']);
    expect(a.body).toContain('No certificate found');
  });
});

describe('Digipost simulator: XSD validation (§13.4)', () => {
  it('rejects malformed XML with 400 SCHEMA_VALIDATION_ERROR in the v8 <error> shape', async () => {
    const a = await call('POST', '/identification', { body: `<identification xmlns="${NS}"><personal-` });
    expect([a.status, a.code]).toEqual([400, 'SCHEMA_VALIDATION_ERROR']);
    expect(a.body).toMatch(
      /<error xmlns="http:\/\/api.digipost.no\/schema\/v8"><error-code>.*<error-type>CLIENT_TECHNICAL<\/error-type><\/error>/,
    );
  });

  it('rejects elements in the wrong order (primary-document before recipient)', async () => {
    const uuid = randomUUID();
    const xml =
      `<message xmlns="${NS}"><primary-document><uuid>${uuid}</uuid><subject>s</subject><file-type>pdf</file-type></primary-document>` +
      `<recipient><personal-identification-number>${USER}</personal-identification-number></recipient></message>`;
    const a = await send(xml, { [uuid]: letter });
    expect([a.status, a.code]).toEqual([400, 'SCHEMA_VALIDATION_ERROR']);
    expect(a.body).toContain('primary-document');
  });

  it('rejects a value outside an enumeration and a uuid off the pattern', async () => {
    expect((await send(message({ level: 'SUPER_SECURE' }))).code).toBe('SCHEMA_VALIDATION_ERROR');
    const a = await call('POST', '/batch', { body: `<batch xmlns="${NS}"><uuid>NOT-A-UUID</uuid></batch>` });
    expect([a.status, a.code]).toEqual([400, 'SCHEMA_VALIDATION_ERROR']);
  });

  it('accepts the identification shape the official client sends (§15.10)', async () => {
    const a = await call('POST', '/identification', {
      body:
        `<identification xmlns="${NS}" xmlns:ns2="http://api.digipost.no/schema/datatypes" include-personalias-for-digipost-user="false">` +
        `<personal-identification-number>${USER}</personal-identification-number></identification>`,
    });
    expect(a.status).toBe(200);
    expect(a.body).toContain('<result>DIGIPOST</result>');
  });
});

describe('Digipost simulator: sending rules (§4, §5)', () => {
  it('rejects a reused message-id with 400 DUPLICATE_MESSAGE, a reused document uuid with 400 DUPLICATE_DOCUMENT_ID', async () => {
    const messageId = randomUUID();
    const uuid = randomUUID();
    expect((await send(message({ messageId, uuid }))).status).toBe(201);
    const again = await send(message({ messageId }));
    expect([again.status, again.code]).toEqual([400, 'DUPLICATE_MESSAGE']);
    const sameDoc = await send(message({ uuid }));
    expect([sameDoc.status, sameDoc.code]).toEqual([400, 'DUPLICATE_DOCUMENT_ID']);
  });

  it('answers 201 with Location and a message-delivery echoing the content hash', async () => {
    const uuid = randomUUID();
    const a = await send(message({ uuid }));
    expect(a.status).toBe(201);
    expect(a.headers.get('location')).toMatch(/\/messages\//);
    expect(a.body).toContain('<status>DELIVERED</status>');
    expect(a.body).toContain('<authentication-level>PASSWORD</authentication-level>');
    expect(a.body).toMatch(/<content-hash hash-algorithm="SHA256">[A-Za-z0-9+/=]{44}<\/content-hash>/);
    expect(verifies(a, '/messages')).toBe(true);
  });

  it('rejects a blank subject with 400 MISSING_SUBJECT', async () => {
    const a = await send(message({ subject: '   ' }));
    expect([a.status, a.code]).toEqual([400, 'MISSING_SUBJECT']);
  });

  it('answers 404 UNKNOWN_RECIPIENT for a non-user without print-details, prints with them', async () => {
    const recipient = `<personal-identification-number>${NON_USER}</personal-identification-number>`;
    const a = await send(message({ recipient }));
    expect([a.status, a.code]).toEqual([404, 'UNKNOWN_RECIPIENT']);
    const b = await send(message({ recipient: recipient + PRINT_DETAILS }));
    expect(b.status).toBe(201);
    expect(b.body).toContain('<delivery-method>PRINT</delivery-method>');
    expect(b.body).toContain('<subject>N/A</subject>');
  });

  it('requires PDF for print (400 CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF)', async () => {
    const recipient = PRINT_DETAILS;
    const a = await send(message({ recipient, fileType: 'txt' }));
    expect([a.status, a.code]).toEqual([400, 'CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF']);
  });

  it('checks part filenames against document uuids', async () => {
    const a = await send(message({}), { [randomUUID()]: letter });
    expect([a.status, a.code]).toEqual([400, 'DOCUMENTS_AND_FILES_MISMATCH']);
    const boundary = 'b0undary';
    const body = Buffer.from(
      `--${boundary}\r\nContent-Type: ${V8}\r\nContent-Disposition: attachment\r\n\r\n<x/>\r\n--${boundary}--\r\n`,
    );
    const b = await call('POST', '/messages', { body, contentType: `multipart/mixed; boundary=${boundary}` });
    expect([b.status, b.code]).toEqual([400, 'MISSING_BODYPART_FILENAME']);
  });

  it('enforces the broker’s permissions: print, direct print, ID-porten, sending on behalf of others', async () => {
    const fallback = `<personal-identification-number>${NON_USER}</personal-identification-number>${PRINT_DETAILS}`;
    const a = await send(message({ recipient: fallback }), undefined, '7777');
    expect([a.status, a.code]).toEqual([403, 'NOT_APPROVED_FOR_PRINT']);
    const b = await send(message({ recipient: PRINT_DETAILS }), undefined, '7777');
    expect([b.status, b.code]).toEqual([403, 'NOT_APPROVED_FOR_DIRECT_PRINT']);
    const c = await send(message({ level: 'IDPORTEN_4' }));
    expect([c.status, c.code]).toEqual([403, 'NOT_APPROVED_FOR_IDPORTEN']);
    const d = await send(message({ senderId: '4242' }));
    expect([d.status, d.code]).toEqual([403, 'BROKER_NOT_AUTHORIZED']);
    sim.setPermissions('7777', { directPrint: true });
    expect((await send(message({ recipient: PRINT_DETAILS }), undefined, '7777')).status).toBe(201);
  });
});

describe('Digipost simulator: print checks on PDFs (§4.5)', () => {
  const printed = (pdf: Uint8Array) => {
    const uuid = randomUUID();
    return send(message({ uuid, recipient: PRINT_DETAILS }), { [uuid]: pdf });
  };
  const pdfWith = async (pages: number, size: [number, number], text?: { x: number; fromTop: number }) => {
    const doc = await PDFDocument.create();
    const font = await doc.embedFont(StandardFonts.Helvetica);
    for (let i = 0; i < pages; i++) {
      const page = doc.addPage(size);
      page.drawText('Brev', { x: 30 * MM, y: size[1] - 40 * MM, size: 11, font });
      if (text) page.drawText('Strekkode?', { x: text.x, y: size[1] - text.fromTop, size: 11, font });
    }
    return doc.save({ useObjectStreams: false });
  };
  const A4: [number, number] = [210 * MM, 297 * MM];

  it('accepts an A4 letter with the barcode zone free', async () => {
    expect((await printed(await pdfWith(2, A4))).status).toBe(201);
  });

  it('rejects text in the barcode zone: INVALID_PDF_CONTENT (INSUFFICIENT_MARGIN_FOR_PRINT)', async () => {
    const a = await printed(await pdfWith(1, A4, { x: 5 * MM, fromTop: 130 * MM }));
    expect([a.status, a.code]).toEqual([400, 'INVALID_PDF_CONTENT']);
    expect(a.body).toContain('INSUFFICIENT_MARGIN_FOR_PRINT');
    expect((await printed(await pdfWith(1, A4, { x: 5 * MM, fromTop: 60 * MM }))).status).toBe(201);
  });

  it('rejects pages that are not A4: UNSUPPORTED_DIMENSIONS', async () => {
    const a = await printed(await pdfWith(1, [148 * MM, 210 * MM]));
    expect(a.body).toContain('UNSUPPORTED_DIMENSIONS');
    expect((await printed(await pdfWith(1, [297 * MM, 210 * MM]))).status).toBe(201);
  });

  it('rejects more pages than the print limit: TOO_MANY_PAGES_FOR_AUTOMATED_PRINT', async () => {
    const a = await printed(await pdfWith(15, A4));
    expect([a.status, a.code]).toEqual([400, 'INVALID_PDF_CONTENT']);
    expect(a.body).toContain('TOO_MANY_PAGES_FOR_AUTOMATED_PRINT');
    expect((await printed(await pdfWith(14, A4))).status).toBe(201);
  });

  it('rejects an encrypted PDF: PDF_IS_ENCRYPTED', async () => {
    const plain = Buffer.from(await pdfWith(1, A4)).toString('latin1');
    const encrypted = plain.replace(
      /trailer\s*<</,
      'trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>',
    );
    expect(encrypted).not.toBe(plain);
    const a = await printed(Buffer.from(encrypted, 'latin1'));
    expect(a.body).toContain('PDF_IS_ENCRYPTED');
  });

  it('does not apply print checks to digital delivery', async () => {
    const uuid = randomUUID();
    const a = await send(message({ uuid }), { [uuid]: await pdfWith(15, [148 * MM, 210 * MM]) });
    expect(a.status).toBe(201);
  });
});

describe('Digipost simulator: admin API', () => {
  const admin = async (method: string, path: string, body?: unknown) => {
    const r = await fetch(`${sim.url}/admin${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    return { status: r.status, json: (await r.json()) as unknown };
  };

  it('injects faults and events, registers brokers and shows batches over HTTP', async () => {
    expect(
      (await admin('POST', '/faults', { kind: 'status', status: 503, path: '/identification', times: 2 }))
        .status,
    ).toBe(200);
    const body = `<identification xmlns="${NS}"><personal-identification-number>${USER}</personal-identification-number></identification>`;
    expect((await call('POST', '/identification', { body })).code).toBe('API_UNAVAILABLE');
    await admin('DELETE', '/faults');
    expect((await call('POST', '/identification', { body })).status).toBe(200);
    expect(
      (await admin('POST', '/brokers', { userId: '3333', publicKeyPem: pub, permissions: { print: false } }))
        .status,
    ).toBe(200);
    expect((await call('GET', '/', { userId: '3333' })).status).toBe(200);
    const uuid = randomUUID();
    await send(message({ uuid }));
    const injected = await admin('POST', '/events', { documentUuid: uuid, type: 'SHREDDED' });
    expect(injected.json).toMatchObject({ uuid, type: 'SHREDDED' });
    expect((await admin('POST', '/events', { documentUuid: randomUUID(), type: 'SHREDDED' })).status).toBe(
      400,
    );
    const batch = randomUUID();
    await call('POST', '/batch', { body: `<batch xmlns="${NS}"><uuid>${batch}</uuid></batch>` });
    expect((await admin('GET', '/batches')).json).toContainEqual(
      expect.objectContaining({ uuid: batch, status: 'CREATED' }),
    );
    expect((await admin('GET', '/documents')).json).toContainEqual(
      expect.objectContaining({ uuid, channel: 'DIGIPOST' }),
    );
  });

  it('registers people, moves the clock and shows what it holds', async () => {
    const nid = '15076500565';
    let r = await fetch(`${sim.url}/admin/people/${nid}`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ kind: 'DIGIPOST' }),
    });
    expect(r.status).toBe(200);
    const uuid = randomUUID();
    const a = await send(
      message({ uuid, recipient: `<personal-identification-number>${nid}</personal-identification-number>` }),
    );
    expect(a.body).toContain('<delivery-method>DIGIPOST</delivery-method>');
    const before = sim.now().getTime();
    r = await fetch(`${sim.url}/admin/clock`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ advanceMs: 86_400_000 }),
    });
    const { now } = (await r.json()) as { now: string };
    expect(Date.parse(now) - before).toBeGreaterThanOrEqual(86_400_000);
    const state = (await (await fetch(`${sim.url}/admin/state`)).json()) as {
      messages: { documents: { uuid: string; size: number }[] }[];
    };
    const held = state.messages.flatMap((m) => m.documents).find((d) => d.uuid === uuid);
    expect(held?.size).toBe(letter.length);
    r = await fetch(`${sim.url}/admin/documents/${uuid}/open`, { method: 'POST' });
    expect(r.status).toBe(200);
    const events = (await (await fetch(`${sim.url}/admin/events`)).json()) as {
      uuid: string;
      type: string;
    }[];
    expect(events).toContainEqual(expect.objectContaining({ uuid, type: 'OPENED' }));
  });
});

describe('Digipost simulator: request for registration (§4.4)', () => {
  const rfr = (deadline: Date, extra = '') =>
    `<request-for-registration><registration-deadline>${deadline.toISOString()}</registration-deadline>${extra}</request-for-registration>`;
  const status = async (uuid: string) =>
    /status="([A-Z_]+)"[^>]*channel="([A-Z]+)"/
      .exec((await call('GET', `/documents/9999/${uuid}/status`)).body)
      ?.slice(1);

  it('keeps the letter PENDING until the person registers, then delivers it digitally', async () => {
    const nid = '24056900182';
    sim.setPerson(nid, { kind: 'IDENTIFIED' });
    const uuid = randomUUID();
    const recipient = `<personal-identification-number>${nid}</personal-identification-number>`;
    const a = await send(
      message({
        uuid,
        recipient,
        tail: rfr(new Date(sim.now().getTime() + 7 * 86_400_000), '<phone-number>99999999</phone-number>'),
      }),
    );
    expect(a.status).toBe(201);
    expect(a.body).toContain('<delivery-method>PENDING</delivery-method>');
    expect(await status(uuid)).toEqual(['NOT_DELIVERED', 'PENDING']);
    sim.setPerson(nid, { kind: 'DIGIPOST' });
    expect(await status(uuid)).toEqual(['DELIVERED', 'DIGIPOST']);
    expect(sim.events()).toContainEqual(
      expect.objectContaining({ uuid, type: 'REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST' }),
    );
  });

  it('prints after the deadline when print-details were given', async () => {
    const uuid = randomUUID();
    const recipient = `<personal-identification-number>${NON_USER}</personal-identification-number>`;
    const a = await send(
      message({ uuid, recipient, tail: rfr(new Date(sim.now().getTime() + 86_400_000), PRINT_DETAILS) }),
    );
    expect(a.status).toBe(201);
    sim.advanceClock(2 * 86_400_000);
    expect(await status(uuid)).toEqual(['DELIVERED', 'PRINT']);
    expect(sim.events()).toContainEqual(
      expect.objectContaining({
        uuid,
        type: 'REQUEST_FOR_REGISTRATION_EXPIRED',
        metadata: {
          xsiType: 'request-for-registration-expired-metadata',
          attributes: { 'fallback-channel': 'PRINT' },
        },
      }),
    );
  });

  it('rejects a phone number that is neither 8 digits nor prefixed (400 INVALID_PHONE_NUMBER)', async () => {
    const recipient = `<personal-identification-number>${NON_USER}</personal-identification-number>`;
    const a = await send(
      message({
        recipient,
        tail: rfr(new Date(sim.now().getTime() + 86_400_000), '<phone-number>4799999999</phone-number>'),
      }),
    );
    expect([a.status, a.code]).toEqual([400, 'INVALID_PHONE_NUMBER']);
  });
});

describe('Digipost simulator: its answers are valid against api_v8.xsd', () => {
  it('entry point, identification with key, message-delivery, document-status, document-events, batch, error', async () => {
    // Events from here on: REQUEST_FOR_REGISTRATION_* (above) exist only in the .NET client's XSD (§0).
    const start = sim.now();
    const uuid = randomUUID();
    const printed = randomUUID();
    const batch = randomUUID();
    const answers = [
      await call('GET', '/'),
      await call('POST', '/identification/with-encryption-key', {
        body: `<identification xmlns="${NS}"><personal-identification-number>${USER}</personal-identification-number></identification>`,
      }),
      await send(message({ uuid, tail: '' })),
      await send(message({ uuid: printed, recipient: PRINT_DETAILS })),
      await call('GET', `/documents/9999/${uuid}/status`),
      await call('POST', '/batch', { body: `<batch xmlns="${NS}"><uuid>${batch}</uuid></batch>` }),
      await call('POST', `/batch/${batch}/complete`),
      await call('GET', `/batch/${randomUUID()}`),
    ];
    expect(answers[1]!.body).toContain('<encryption-key key-id=');
    // A PEM public key (SubjectPublicKeyInfo), as Digipost's own client parses it, never a certificate.
    const pem = /<encryption-key key-id="[^"]+">([^<]+)<\/encryption-key>/.exec(answers[1]!.body)?.[1];
    expect(pem).toMatch(/^-----BEGIN PUBLIC KEY-----\n[A-Za-z0-9+/=\n]+-----END PUBLIC KEY-----$/);
    const key = createPublicKey(pem!);
    expect(key.asymmetricKeyType).toBe('rsa');
    expect(key.export({ type: 'spki', format: 'pem' }).toString().trim()).toBe(pem);
    sim.advanceClock(4 * 86_400_000);
    sim.injectEvent(uuid, 'PRINT_FAILED', { 'error-code': 'Feil' });
    const from = encodeURIComponent(start.toISOString());
    const to = encodeURIComponent(new Date(sim.now().getTime() + 86_400_000).toISOString());
    const events = await call('GET', `/documents/events?from=${from}&to=${to}&offset=0&maxResults=1000`);
    expect(events.body).toContain('xsi:type="postmarked-metadata"');
    answers.push(events);
    const xsd = v8Validator();
    try {
      for (const a of answers) expect(await xsd.errors(a.body), a.body).toEqual([]);
    } finally {
      await xsd.close();
    }
  });
});

describe('Digipost simulator: organisations (§3, §4.3)', () => {
  const ORG = '974760673';
  const OTHER_ORG = '974761076';
  const identify = (orgNumber: string) =>
    call('POST', '/identification', {
      body:
        `<identification xmlns="${NS}" include-personalias-for-digipost-user="false">` +
        `<organisation-number>${orgNumber}</organisation-number></identification>`,
    });
  beforeAll(() => sim.setOrganisation(ORG, { kind: 'DIGIPOST' }));

  it('identifies by organisation number: DIGIPOST, UNIDENTIFIED, INVALID, and refuses a wrong length', async () => {
    expect((await identify(ORG)).body).toMatch(/<result>DIGIPOST<\/result><\/identification-result>/);
    expect((await identify(OTHER_ORG)).body).toContain(
      '<result>UNIDENTIFIED</result><unidentified-reason>NOT_FOUND</unidentified-reason>',
    );
    expect((await identify('974760674')).body).toContain(
      '<result>INVALID</result><invalid-reason>INVALID_ORGANISATION_NUMBER</invalid-reason>',
    );
    const short = await identify('97476067');
    expect([short.status, short.code]).toEqual([400, 'SCHEMA_VALIDATION_ERROR']);
  });

  it('delivers to an organisation’s mailbox, prints for one without, 404 without print-details', async () => {
    const uuid = randomUUID();
    const digital = await send(
      message({ uuid, recipient: `<organisation-number>${ORG}</organisation-number>` }),
    );
    expect(digital.status).toBe(201);
    expect(digital.body).toContain('<delivery-method>DIGIPOST</delivery-method>');
    expect(sim.messages.find((m) => m.documents[0]!.uuid === uuid)?.recipientKey).toBe(ORG);
    const other = `<organisation-number>${OTHER_ORG}</organisation-number>`;
    const printed = await send(message({ recipient: other + PRINT_DETAILS }));
    expect(printed.body).toContain('<delivery-method>PRINT</delivery-method>');
    const refused = await send(message({ recipient: other }));
    expect([refused.status, refused.code]).toEqual([404, 'UNKNOWN_RECIPIENT']);
  });

  it('refuses a malformed organisation number: wrong length by the XSD, wrong control digit by the register', async () => {
    const long = await send(message({ recipient: '<organisation-number>9747606730</organisation-number>' }));
    expect([long.status, long.code]).toEqual([400, 'SCHEMA_VALIDATION_ERROR']);
    const bad = `<organisation-number>974760674</organisation-number>`;
    const checksum = await send(message({ recipient: bad + PRINT_DETAILS }));
    expect([checksum.status, checksum.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(checksum.body).toContain('INVALID_ORGANISATION_NUMBER');
  });
});

describe('Digipost simulator: attachments (§4.1, §4.2, §4.4)', () => {
  const attachment = (uuid: string, subject: string, hash?: string) =>
    `<attachment><uuid>${uuid}</uuid><subject>${subject}</subject><file-type>pdf</file-type>` +
    (hash ? `<content-hash hash-algorithm="SHA256">${hash}</content-hash>` : '') +
    `</attachment>`;

  it('takes a primary document and two attachments as one message, stores and echoes all three', async () => {
    const [p, a1, a2] = [randomUUID(), randomUUID(), randomUUID()];
    const invoice = await renderLetterPdf({ title: 'Faktura', addressLines: ['Ola Nordmann'], fields: {} });
    const xml = message({ uuid: p, tail: attachment(a1, 'Faktura') + attachment(a2, 'Vilkår') });
    const a = await send(xml, { [p]: letter, [a1]: invoice, [a2]: letter });
    expect(a.status).toBe(201);
    expect(a.body.match(/<attachment>/g)).toHaveLength(2);
    const stored = sim.messages.find((m) => m.documents[0]!.uuid === p)!;
    expect(stored.documents.map((d) => [d.uuid, d.subject, d.isPrimary])).toEqual([
      [p, 'Vedtak', true],
      [a1, 'Faktura', false],
      [a2, 'Vilkår', false],
    ]);
    expect(Buffer.from(invoice).equals(stored.documents[1]!.content)).toBe(true);
  });

  it('refuses a missing or an extra part (DOCUMENTS_AND_FILES_MISMATCH) and an empty one (MISSING_CONTENT)', async () => {
    const [p, a1] = [randomUUID(), randomUUID()];
    const xml = () => message({ uuid: p, tail: attachment(a1, 'Faktura') });
    const missing = await send(xml(), { [p]: letter });
    expect([missing.status, missing.code]).toEqual([400, 'DOCUMENTS_AND_FILES_MISMATCH']);
    const extra = await send(xml(), { [p]: letter, [a1]: letter, [randomUUID()]: letter });
    expect([extra.status, extra.code]).toEqual([400, 'DOCUMENTS_AND_FILES_MISMATCH']);
    const empty = await send(xml(), { [p]: letter, [a1]: new Uint8Array() });
    expect([empty.status, empty.code]).toEqual([400, 'MISSING_CONTENT']);
    expect(sim.messages.some((m) => m.documents[0]!.uuid === p)).toBe(false);
  });

  it('refuses an attachment whose stated content-hash does not match its bytes', async () => {
    const digest = createHash('sha256').update(letter).digest('base64');
    const [p, a1] = [randomUUID(), randomUUID()];
    const wrong = await send(
      message({
        uuid: p,
        tail: attachment(
          a1,
          'Faktura',
          digest.replace(/^./, (c) => (c === 'A' ? 'B' : 'A')),
        ),
      }),
      {
        [p]: letter,
        [a1]: letter,
      },
    );
    expect([wrong.status, wrong.code]).toEqual([400, 'BAD_CONTENT']);
    const [q, b1] = [randomUUID(), randomUUID()];
    const right = await send(message({ uuid: q, tail: attachment(b1, 'Faktura', digest) }), {
      [q]: letter,
      [b1]: letter,
    });
    expect(right.status).toBe(201);
  });

  it('applies the print checks to every attachment of a printed message', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([612, 792]);
    const usLetter = await doc.save();
    const [p, a1] = [randomUUID(), randomUUID()];
    const xml = message({ uuid: p, recipient: PRINT_DETAILS, tail: attachment(a1, 'Faktura') });
    const a = await send(xml, { [p]: letter, [a1]: usLetter });
    expect([a.status, a.code]).toEqual([400, 'INVALID_PDF_CONTENT']);
    expect(a.body).toContain('UNSUPPORTED_DIMENSIONS');
  });
});
