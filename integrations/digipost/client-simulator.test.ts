// Contract: our client against our simulator (they share no protocol code), over real HTTP.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { DigipostClient, DigipostError } from './client';
import { startDigipostSimulator, type DigipostSimulator } from '../../simulators/digipost/server';
import { renderLetterPdf } from '../../documents/letter-pdf';

let sim: DigipostSimulator;
let client: DigipostClient;
let pdf: Uint8Array;
const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
const priv = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
const pub = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
const address = { name: 'Ola Nordmann', lines: ['Prinsensveien 123'], postalCode: '0460', city: 'Oslo' };
const returnAddress = { name: 'Oslo kommune', lines: ['Postboks 1'], postalCode: '0037', city: 'Oslo' };

beforeAll(async () => {
  sim = await startDigipostSimulator();
  sim.addBroker('9999', pub);
  sim.setPerson('01019010046', { kind: 'DIGIPOST' });
  sim.setPerson('01019010127', { kind: 'IDENTIFIED' });
  client = new DigipostClient({ baseUrl: sim.url, brokerId: '9999', privateKeyPem: priv });
  pdf = await renderLetterPdf({ title: 'Varsel', addressLines: ['Ola'], fields: {} });
});
afterAll(() => sim.close());

const send = (nationalId: string, print = true, messageId = randomUUID(), documentUuid = randomUUID()) =>
  client.send({
    messageId,
    documentUuid,
    subject: 'Inkassovarsel',
    pdf,
    nationalId,
    print: print ? { recipient: address, returnAddress } : undefined,
  });

describe('Digipost client ↔ simulator', () => {
  it('delivers digitally to a Digipost user, and the simulator holds the exact PDF', async () => {
    const r = await send('01019010046');
    expect(r).toEqual({ channel: 'DIGIPOST', status: 'DELIVERED', alreadyAccepted: false });
    expect(Buffer.compare(sim.messages.at(-1)!.documents[0]!.content, Buffer.from(pdf))).toBe(0);
  });

  it('falls back to print for an identified non-user with print details', async () => {
    expect(await send('01019010127')).toMatchObject({ channel: 'PRINT', status: 'DELIVERED_TO_PRINT' });
  });

  it('answers UNKNOWN_RECIPIENT (404, not retryable) without print details', async () => {
    const e = await send('01019010127', false).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(DigipostError);
    expect(e).toMatchObject({ code: 'UNKNOWN_RECIPIENT', httpStatus: 404, retryable: false });
  });

  it('treats a reused message-id as already accepted, and the simulator keeps one message', async () => {
    const id = randomUUID();
    await send('01019010046', true, id);
    const count = sim.messages.length;
    expect(await send('01019010046', true, id)).toEqual({ alreadyAccepted: true });
    expect(sim.messages.length).toBe(count);
  });

  it('is refused with 403 INVALID_SIGNATURE when signing with another key, canonical string echoed', async () => {
    const other = generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString();
    const bad = new DigipostClient({ baseUrl: sim.url, brokerId: '9999', privateKeyPem: other });
    const e = await bad
      .send({
        messageId: randomUUID(),
        documentUuid: randomUUID(),
        subject: 's',
        pdf,
        nationalId: '01019010046',
      })
      .catch((x: unknown) => x);
    expect(e).toMatchObject({ code: 'INVALID_SIGNATURE', httpStatus: 403 });
    expect(String((e as Error).message)).toMatch(/===START===POST\n\/messages\n/);
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
    await expect(
      forged.send({
        messageId: randomUUID(),
        documentUuid: randomUUID(),
        subject: 's',
        pdf,
        nationalId: '01019010046',
      }),
    ).rejects.toMatchObject({ code: 'SERVER_SIGNATURE_ERROR' });
  });
});
