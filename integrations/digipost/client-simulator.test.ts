// Contract: our client against our simulator (they share no protocol code), over real HTTP: every operation,
// and each fault mode the simulator can inject.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { validateXML } from 'xmllint-wasm';
import { DigipostClient, DigipostError, type SendRequest } from './client';
import { startDigipostSimulator, type DigipostSimulator } from '../../simulators/digipost/server';
import { XSD_PATH } from '../../simulators/digipost/xml';
import { renderLetterPdf } from '../../documents/letter-pdf';
import { TEST_DATES } from '../../test/support/dates';

let sim: DigipostSimulator;
let client: DigipostClient;
let pdf: Uint8Array;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const priv = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pub = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const address = { name: 'Ola Nordmann', lines: ['Prinsensveien 123'], postalCode: '0460', city: 'Oslo' };
const returnAddress = { name: 'Oslo kommune', lines: ['Postboks 1'], postalCode: '0037', city: 'Oslo' };
const USER = '01019010046';
const NON_USER = '01019010127';
const UNKNOWN = '15076500565';
const DAY = 86_400_000;

beforeAll(async () => {
  sim = await startDigipostSimulator();
  sim.addBroker('9999', pub, { senders: ['4242'] });
  sim.setPerson(USER, { kind: 'DIGIPOST' });
  sim.setPerson(NON_USER, { kind: 'IDENTIFIED' });
  client = new DigipostClient({ baseUrl: sim.url, brokerId: '9999', privateKeyPem: priv });
  pdf = await renderLetterPdf({ title: 'Varsel', addressLines: ['Ola'], fields: {} });
});
afterAll(() => sim.close());
beforeEach(() => sim.clearFaults());

const request = (nationalId: string, extra: Partial<SendRequest> = {}): SendRequest => ({
  messageId: randomUUID(),
  documentUuid: randomUUID(),
  subject: 'Inkassovarsel',
  pdf,
  nationalId,
  print: { recipient: address, returnAddress },
  ...extra,
});
const failure = (p: Promise<unknown>) =>
  p.then(
    () => {
      throw new Error('expected a DigipostError');
    },
    (e: unknown) => {
      expect(e).toBeInstanceOf(DigipostError);
      return e as DigipostError;
    },
  );
/** A Monday 10:00 in Oslo (CET), so print goes out Tuesday 08:00. */
const MONDAY = new Date('2030-01-07T09:00:00Z');

describe('Digipost client ↔ simulator: identification and sending', () => {
  it('identifies Digipost users, identified non-users, unknown people and invalid ids', async () => {
    expect(await client.identify(USER)).toEqual({ result: 'DIGIPOST' });
    expect(await client.identify(NON_USER)).toMatchObject({
      result: 'IDENTIFIED',
      personAlias: expect.any(String),
    });
    expect(await client.identify(UNKNOWN)).toEqual({ result: 'UNIDENTIFIED', reason: 'NOT_FOUND' });
    expect(await client.identify('12345678901')).toEqual({
      result: 'INVALID',
      reason: 'INVALID_PERSONAL_IDENTIFICATION_NUMBER',
    });
  });

  it('delivers digitally to a Digipost user, and the simulator holds the exact PDF', async () => {
    const r = await client.send(request(USER));
    expect(r).toMatchObject({ channel: 'DIGIPOST', status: 'DELIVERED', alreadyAccepted: false });
    expect(Buffer.compare(sim.messages.at(-1)!.documents[0]!.content, Buffer.from(pdf))).toBe(0);
  });

  it('falls back to print for an identified non-user and for an unknown person', async () => {
    expect(await client.send(request(NON_USER))).toMatchObject({
      channel: 'PRINT',
      status: 'DELIVERED_TO_PRINT',
    });
    expect(await client.send(request(UNKNOWN))).toMatchObject({ channel: 'PRINT' });
  });

  it('sends straight to print without the national id (direct print)', async () => {
    const req = request(USER, { directPrint: true });
    expect(await client.send(req)).toMatchObject({ channel: 'PRINT', status: 'DELIVERED_TO_PRINT' });
    expect(sim.messages.at(-1)).toMatchObject({ recipientKey: 'direct-print', channel: 'PRINT' });
  });

  it('answers UNKNOWN_RECIPIENT (404, not retryable) without print details', async () => {
    const e = await failure(client.send(request(NON_USER, { print: undefined })));
    expect(e).toMatchObject({
      code: 'UNKNOWN_RECIPIENT',
      httpStatus: 404,
      retryable: false,
      type: 'CLIENT_DATA',
    });
  });

  it('treats a reused message-id as already accepted, confirmed by document status; one message held', async () => {
    const req = request(USER);
    await client.send(req);
    const count = sim.messages.length;
    expect(await client.send({ ...req, documentUuid: randomUUID() })).toEqual({ alreadyAccepted: true });
    expect(sim.messages.length).toBe(count);
    const status = await client.documentStatus(req.documentUuid);
    expect(status).toMatchObject({ status: 'DELIVERED', channel: 'DIGIPOST' });
    expect(Date.parse(status.delivered!)).not.toBeNaN();
  });

  it('refuses a reused document uuid (DUPLICATE_DOCUMENT_ID, not retryable)', async () => {
    const req = request(USER);
    await client.send(req);
    const e = await failure(client.send({ ...req, messageId: randomUUID() }));
    expect(e).toMatchObject({ code: 'DUPLICATE_DOCUMENT_ID', httpStatus: 400, retryable: false });
  });

  it('reports an unknown document as DOCUMENT_NOT_FOUND', async () => {
    expect(await failure(client.documentStatus(randomUUID()))).toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
      httpStatus: 404,
    });
  });

  it('sends on behalf of an authorised sender: sender-id in the message, status under the sender', async () => {
    const onBehalf = new DigipostClient({
      baseUrl: sim.url,
      brokerId: '9999',
      privateKeyPem: priv,
      senderId: '4242',
    });
    const req = request(USER);
    await onBehalf.send(req);
    expect(sim.messages.at(-1)!.senderId).toBe('4242');
    expect(await onBehalf.documentStatus(req.documentUuid)).toMatchObject({ status: 'DELIVERED' });
    expect(await failure(client.documentStatus(req.documentUuid))).toMatchObject({
      code: 'DOCUMENT_NOT_FOUND',
    });
  });

  it('sends to an organisation by organisation number: its mailbox, else print to its address', async () => {
    sim.setOrganisation('974760673', { kind: 'DIGIPOST' });
    const org = (orgNumber: string) => request(USER, { nationalId: undefined, orgNumber });
    expect(await client.send(org('974760673'))).toMatchObject({ channel: 'DIGIPOST' });
    expect(sim.messages.at(-1)?.recipientKey).toBe('974760673');
    expect(await client.send(org('974761076'))).toMatchObject({ channel: 'PRINT' });
    expect(sim.messages.at(-1)?.recipientKey).toBe('974761076');
    // the client refuses a message with both identifiers, or none, before sending anything
    const both = await failure(client.send(request(USER, { orgNumber: '974760673' })));
    expect(both.code).toBe('CLIENT_ERROR');
    const none = await failure(client.send(request(USER, { nationalId: undefined })));
    expect(none.code).toBe('CLIENT_ERROR');
  });

  it('sends attachments in the same message, each part after the primary document in order', async () => {
    const attachments = ['Faktura', 'Vilkår'].map((subject) => ({
      documentUuid: randomUUID(),
      subject,
      pdf: Buffer.from(`${subject}`),
    }));
    const req = request(USER, { attachments });
    expect(await client.send(req)).toMatchObject({ channel: 'DIGIPOST' });
    const held = sim.messages.at(-1)!;
    expect(held.documents.map((d) => [d.uuid, d.subject, d.content.toString()])).toEqual([
      [req.documentUuid, 'Inkassovarsel', Buffer.from(pdf).toString()],
      [attachments[0]!.documentUuid, 'Faktura', 'Faktura'],
      [attachments[1]!.documentUuid, 'Vilkår', 'Vilkår'],
    ]);
  });

  it('writes message XML that is valid against api_v8.xsd in every variant', async () => {
    const schema = readFileSync(XSD_PATH, 'utf8');
    for (const extra of [
      {},
      { print: undefined },
      { directPrint: true },
      { printIfUnread: { afterDays: 7 } },
      { batchUuid: randomUUID() },
      { nationalId: undefined, orgNumber: '974760673' },
      { attachments: [{ documentUuid: randomUUID(), subject: 'Faktura', pdf }] },
    ] satisfies Partial<SendRequest>[]) {
      const xml = DigipostClient.messageXml(request(USER, extra), '4242');
      const r = await validateXML({
        xml: [{ fileName: 'm.xml', contents: xml }],
        schema: [{ fileName: 'api.xsd', contents: schema }],
      });
      expect(r.errors.map((e) => e.message)).toEqual([]);
    }
  });
});

describe('Digipost client ↔ simulator: print schedule, print-if-unread and document events', () => {
  it('prints the next working day: POSTMARKED appears only when the print run has gone', async () => {
    sim.setNow(MONDAY);
    const req = request(NON_USER);
    await client.send(req);
    const window = { from: new Date(MONDAY.getTime() - DAY), to: new Date(MONDAY.getTime() + 7 * DAY) };
    const mine = async () =>
      (await client.documentEvents(window)).events.filter((e) => e.uuid === req.documentUuid);
    expect(await mine()).toEqual([]);
    sim.advanceClock(DAY - 3 * 3_600_000); // Tuesday 07:00 in Oslo
    expect(await mine()).toEqual([]);
    sim.advanceClock(2 * 3_600_000); // Tuesday 09:00 in Oslo
    const [e] = await mine();
    expect(e).toMatchObject({ type: 'POSTMARKED', metadataType: 'postmarked-metadata' });
    expect(e!.metadata!['postmarked-date']).toBe('2030-01-08T00:00:00.000+01:00');
    expect(Date.parse(e!.created)).toBe(Date.parse('2030-01-08T07:00:00Z'));
  });

  // Each fixed date (test/support/dates.ts) once: weekday, cut-off, holidays and the summer-time switch.
  it.each(TEST_DATES)(
    'prints on the next working day, and an unread letter after its print-if-unread deadline: $label',
    async ({ at, printRun, unreadPrintRun }) => {
      const dated = new DigipostClient({
        baseUrl: sim.url,
        brokerId: '9999',
        privateKeyPem: priv,
        now: () => at,
      });
      sim.setNow(at);
      const print = request(NON_USER);
      const unread = request(USER, { printIfUnread: { afterDays: 3 } });
      const read = request(USER, { printIfUnread: { afterDays: 3 } });
      for (const r of [print, unread, read]) await dated.send(r);
      sim.openDocument(read.documentUuid);
      const window = { from: new Date(at.getTime() - DAY), to: new Date(at.getTime() + 30 * DAY) };
      const eventsOf = async (r: SendRequest) =>
        (await dated.documentEvents(window)).events.filter((e) => e.uuid === r.documentUuid);
      const minute = 60_000;
      const moments = [...new Set([printRun, unreadPrintRun])].map(Date.parse).sort((a, b) => a - b);
      for (const moment of moments) {
        sim.setNow(new Date(moment - minute));
        const before = (await eventsOf(print)).length + (await eventsOf(unread)).length;
        sim.setNow(new Date(moment + minute));
        const after = (await eventsOf(print)).length + (await eventsOf(unread)).length;
        expect(after, `a print run at ${new Date(moment).toISOString()}`).toBeGreaterThan(before);
      }
      const created = async (r: SendRequest) =>
        (await eventsOf(r)).map((e) => [e.type, new Date(Date.parse(e.created)).toISOString()]);
      expect(await created(print)).toEqual([['POSTMARKED', printRun]]);
      expect(await created(unread)).toEqual([['POSTMARKED', unreadPrintRun]]);
      expect((await eventsOf(read)).map((e) => e.type)).toEqual(['OPENED']);
      expect(await dated.documentStatus(unread.documentUuid)).toMatchObject({
        status: 'DELIVERED',
        channel: 'DIGIPOST',
      });
    },
  );

  it('pages a window with offset/maxResults, shows late and unknown events, and expires events after 30 days', async () => {
    const start = new Date('2031-03-03T12:00:00Z');
    sim.setNow(start);
    const req = request(NON_USER, {
      print: { recipient: address, returnAddress, nondeliverableHandling: 'SHRED' },
    });
    await client.send(req);
    sim.advanceClock(2 * DAY); // printed Tuesday: POSTMARKED
    sim.injectEvent(req.documentUuid, 'PRINT_FAILED', { 'error-code': 'Feil dimensjoner' });
    sim.injectEvent(req.documentUuid, 'SHREDDED');
    sim.injectEvent(req.documentUuid, 'HOLOGRAM_DELIVERED', { 'beam-id': '7' });
    // A late event: created inside a window a poller may already have read.
    sim.injectEvent(req.documentUuid, 'OPENED', undefined, { created: new Date(start.getTime() + 60_000) });
    const window = { from: start, to: new Date(start.getTime() + 3 * DAY) };
    const pages = [];
    for (let offset = 0; ; offset += 2) {
      const { events } = await client.documentEvents({ ...window, offset, maxResults: 2 });
      pages.push(events);
      if (events.length < 2) break;
    }
    expect(pages.map((p) => p.length)).toEqual([2, 2, 1]);
    const all = pages.flat();
    expect(all.map((e) => e.type)).toEqual([
      'OPENED',
      'POSTMARKED',
      'PRINT_FAILED',
      'SHREDDED',
      'HOLOGRAM_DELIVERED',
    ]);
    expect(all[2]).toMatchObject({
      metadata: { 'error-code': 'Feil dimensjoner' },
      metadataType: 'failed-print-metadata',
    });
    expect(all[4]).toMatchObject({ type: 'HOLOGRAM_DELIVERED', metadata: { 'beam-id': '7' } });
    expect(all.every((e) => e.documentCreated === all[0]!.documentCreated)).toBe(true);
    expect(await client.allDocumentEvents({ ...window, pageSize: 2 })).toEqual(all);
    sim.advanceClock(31 * DAY);
    expect((await client.documentEvents(window)).events).toEqual([]);
  });

  it('shows a late print run: POSTMARKED only when the delayed print has gone', async () => {
    sim.setNow(MONDAY);
    const req = request(NON_USER);
    await client.send(req);
    sim.delayPrint(req.documentUuid, 2 * DAY);
    const window = { from: MONDAY, to: new Date(MONDAY.getTime() + 10 * DAY) };
    const postmarked = async () =>
      (await client.allDocumentEvents(window)).filter(
        (e) => e.uuid === req.documentUuid && e.type === 'POSTMARKED',
      );
    sim.advanceClock(DAY + 3_600_000);
    expect(await postmarked()).toEqual([]);
    sim.advanceClock(2 * DAY);
    expect(await postmarked()).toHaveLength(1);
  });

  it('rejects a window whose from is after to (INVALID_DATE_RANGE)', async () => {
    const e = await failure(client.documentEvents({ from: new Date(), to: new Date(Date.now() - DAY) }));
    expect(e).toMatchObject({ code: 'INVALID_DATE_RANGE', httpStatus: 400, retryable: false });
  });
});

describe('Digipost client ↔ simulator: batches', () => {
  it('CREATED → NOT_COMMITTED → COMMITTED → DONE; counts; delivery at commit; print the next working day', async () => {
    sim.setNow(MONDAY);
    const uuid = randomUUID();
    expect(await client.createBatch(uuid)).toEqual({
      uuid,
      status: 'CREATED',
      countDigipost: 0,
      countPrint: 0,
    });
    const digital = request(USER, { batchUuid: uuid });
    const printed = request(NON_USER, { batchUuid: uuid });
    expect(await client.send(digital)).toMatchObject({ channel: 'DIGIPOST', status: 'COMPLETE' });
    await client.send(printed);
    expect(await client.getBatch(uuid)).toEqual({
      uuid,
      status: 'NOT_COMMITTED',
      countDigipost: 1,
      countPrint: 1,
    });
    expect(await client.documentStatus(digital.documentUuid)).toMatchObject({ status: 'NOT_DELIVERED' });
    expect(await client.completeBatch(uuid)).toMatchObject({
      status: 'COMMITTED',
      countDigipost: 1,
      countPrint: 1,
    });
    expect(await client.documentStatus(digital.documentUuid)).toMatchObject({
      status: 'DELIVERED',
      channel: 'DIGIPOST',
    });
    sim.advanceClock(DAY);
    expect((await client.getBatch(uuid)).status).toBe('DONE');
    const events = await client.documentEvents({ from: MONDAY, to: new Date(MONDAY.getTime() + 2 * DAY) });
    expect(events.events).toContainEqual(
      expect.objectContaining({ uuid: printed.documentUuid, type: 'POSTMARKED' }),
    );
  });

  it('cancels a batch: its messages are gone and the batch is unknown afterwards', async () => {
    const uuid = randomUUID();
    await client.createBatch(uuid);
    const req = request(USER, { batchUuid: uuid });
    await client.send(req);
    expect(sim.messages.some((m) => m.batchUuid === uuid)).toBe(true);
    await client.cancelBatch(uuid);
    expect(sim.messages.some((m) => m.batchUuid === uuid)).toBe(false);
    expect(await failure(client.getBatch(uuid))).toMatchObject({ code: 'UNKNOWN_BATCH', httpStatus: 404 });
    expect(await failure(client.send(request(USER, { batchUuid: uuid })))).toMatchObject({
      code: 'UNKNOWN_BATCH',
    });
  });

  it('refuses to cancel a committed batch and a duplicate document within a batch', async () => {
    const uuid = randomUUID();
    await client.createBatch(uuid);
    await client.completeBatch(uuid);
    const other = new DigipostClient({ baseUrl: sim.url, brokerId: '9999', privateKeyPem: priv });
    // A client without the batch's links finds them with getBatch; a committed batch offers no self_delete.
    expect(await failure(other.cancelBatch(uuid))).toMatchObject({ retryable: false });
    const open = randomUUID();
    await client.createBatch(open);
    const req = request(USER, { batchUuid: open });
    await client.send(req);
    const e = await failure(client.send({ ...req, messageId: randomUUID() }));
    expect(e.code).toBe('DUPLICATE_DOCUMENT_ID_FOR_BATCH');
  });
});

describe('Digipost client ↔ simulator: faults', () => {
  it('maps 500 and 503 to retryable SERVER_ERROR and API_UNAVAILABLE', async () => {
    sim.fault({ kind: 'status', status: 500, path: '/messages' });
    expect(await failure(client.send(request(USER)))).toMatchObject({
      code: 'SERVER_ERROR',
      httpStatus: 500,
      retryable: true,
      type: 'SERVER',
    });
    sim.fault({ kind: 'status', status: 503, path: '/messages' });
    expect(await failure(client.send(request(USER)))).toMatchObject({
      code: 'API_UNAVAILABLE',
      retryable: true,
    });
  });

  it('keeps unknown error codes as open values: retryable with a 5xx, not with a 4xx', async () => {
    sim.fault({ kind: 'status', status: 400, code: 'BRAND_NEW_RULE', path: '/messages' });
    expect(await failure(client.send(request(USER)))).toMatchObject({
      code: 'BRAND_NEW_RULE',
      retryable: false,
    });
    sim.fault({ kind: 'status', status: 502, code: 'BRAND_NEW_OUTAGE', path: '/messages' });
    expect(await failure(client.send(request(USER)))).toMatchObject({
      code: 'BRAND_NEW_OUTAGE',
      retryable: true,
    });
  });

  it('times out on a slow answer (CONNECTION_ERROR); the retry with the same message-id is already accepted', async () => {
    const impatient = new DigipostClient({
      baseUrl: sim.url,
      brokerId: '9999',
      privateKeyPem: priv,
      timeoutMs: 1_000,
    });
    sim.fault({ kind: 'slow', ms: 2_500, path: '/messages' });
    const req = request(USER);
    expect(await failure(impatient.send(req))).toMatchObject({
      code: 'CONNECTION_ERROR',
      retryable: true,
      httpStatus: 0,
    });
    const held = () => sim.messages.filter((m) => m.messageId === req.messageId);
    for (let i = 0; i < 200 && held().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    // The retry (here without the short timeout, which a normal answer may exceed) reuses the message-id.
    expect(await client.send(req)).toEqual({ alreadyAccepted: true });
    expect(held()).toHaveLength(1);
    expect(await client.documentStatus(req.documentUuid)).toMatchObject({ channel: 'DIGIPOST' });
  });

  it('reports a dropped connection as CONNECTION_ERROR, before and after the message was taken', async () => {
    const before = request(USER);
    sim.fault({ kind: 'drop', path: '/messages' });
    expect(await failure(client.send(before))).toMatchObject({ code: 'CONNECTION_ERROR', retryable: true });
    expect(sim.messages.some((m) => m.messageId === before.messageId)).toBe(false);
    expect(await client.send(before)).toMatchObject({ channel: 'DIGIPOST', alreadyAccepted: false });
    const after = request(USER);
    sim.fault({ kind: 'drop', after: true, path: '/messages' });
    expect(await failure(client.send(after))).toMatchObject({ code: 'CONNECTION_ERROR' });
    expect(await client.send(after)).toEqual({ alreadyAccepted: true });
  });

  /** A client on the simulator that records the path of every request it makes. */
  const countingClient = () => {
    const paths: string[] = [];
    const counting = new DigipostClient({
      baseUrl: sim.url,
      brokerId: '9999',
      privateKeyPem: priv,
      fetch: (input, init) => (paths.push(new URL(String(input)).pathname), fetch(input, init)),
    });
    return { paths, counting };
  };

  it('rejects a bad response signature after re-fetching the entry point once', async () => {
    const { paths, counting } = countingClient();
    await counting.identify(USER);
    sim.fault({ kind: 'bad-signature', path: '/messages' });
    paths.length = 0;
    expect(await failure(counting.send(request(USER)))).toMatchObject({
      code: 'SERVER_SIGNATURE_ERROR',
      retryable: true,
    });
    expect(paths).toEqual(['/messages', '/']);
  });

  it('follows a rotated Digipost certificate: one entry point re-fetch, then success', async () => {
    const { paths, counting } = countingClient();
    await counting.identify(USER);
    await counting.identify(USER);
    expect(paths).toEqual(['/', '/identification', '/identification']);
    sim.rotateKey();
    paths.length = 0;
    expect(await counting.identify(USER)).toEqual({ result: 'DIGIPOST' });
    expect(paths).toEqual(['/identification', '/']);
  });

  it('rejects a response whose Date is skewed by more than 5 minutes', async () => {
    sim.fault({ kind: 'skewed-date', ms: 10 * 60_000, path: '/identification' });
    expect(await failure(client.identify(USER))).toMatchObject({ code: 'SERVER_SIGNATURE_ERROR' });
  });

  it('holds answers on request: the message is stored before the answer comes', async () => {
    sim.holdResponses = true;
    const req = request(USER);
    const pending = client.send(req);
    for (let i = 0; i < 100 && !sim.messages.some((m) => m.messageId === req.messageId); i++)
      await new Promise((r) => setTimeout(r, 50));
    expect(sim.messages.some((m) => m.messageId === req.messageId)).toBe(true);
    sim.holdResponses = false;
    expect(await pending).toMatchObject({ channel: 'DIGIPOST' });
  });

  it('is refused with 403 INVALID_SIGNATURE when signing with another key, canonical string echoed', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const bad = new DigipostClient({ baseUrl: sim.url, brokerId: '9999', privateKeyPem: other });
    const e = await failure(bad.identify(USER));
    expect(e).toMatchObject({ code: 'INVALID_SIGNATURE', httpStatus: 403, retryable: false });
    expect(e.message).toMatch(/===START===GET\n\/\ndate: .*\nx-digipost-userid: 9999\n\n===SLUTT===/);
  });

  it('rejects a response whose signature is not the entry point certificate’s', async () => {
    const forged = new DigipostClient({
      baseUrl: sim.url,
      brokerId: '9999',
      privateKeyPem: priv,
      fetch: async (input, init) => {
        const res = await fetch(input, init);
        const headers = new Headers(res.headers);
        if (new URL(String(input)).pathname !== '/')
          headers.set('x-digipost-signature', Buffer.from('forged').toString('base64'));
        return new Response(await res.arrayBuffer(), { status: res.status, headers });
      },
    });
    expect(await failure(forged.send(request(USER)))).toMatchObject({ code: 'SERVER_SIGNATURE_ERROR' });
  });
});
