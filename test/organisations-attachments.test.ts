// Issue 14, end to end against the real Temporal server, PostgreSQL and the Digipost simulator: letters to
// organisations (by organisation number: Sendt web when the organisation has a Digipost mailbox, Sendt print to
// its postal address when not) and letters with PDF attachments (one Digipost message, every PDF readable from
// the simulator's stored bytes, the attachments' pages counted in the print sheets).
import { describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { PDFDocument } from 'pdf-lib';
import { costLedger, letterAttachments, letterDocuments } from '../db/schema';
import { sheetsFor } from '../documents';
import { inspectPdf, pageText } from '../documents/testing/pdf-inspection';
import { DIGIPOST_ORG, DIGIPOST_USER, NON_USER, NON_USER_ORG } from './support/digipost';
import { samplePdf } from './support/pdf';
import { letterRequest, useTestSystem, until } from './support/system';
import { letterApi } from './support/letter-api';

const sys = useTestSystem();

interface Letter {
  id: string;
  status: string;
  channel: string | null;
  versions: {
    version: number;
    pages: number;
    attachments: { position: number; title: string; pages: number; pdf: string }[];
  }[];
}

const { create, letter, reaches } = letterApi<Letter>(sys);
const toOrganisation = (orgNumber: string, caseId: string) => {
  // an organisation is addressed by its number alone: no national id
  const { caseId: c, templateCode, mergeData } = letterRequest(DIGIPOST_USER, { caseId });
  return {
    caseId: c,
    templateCode,
    mergeData,
    recipient: {
      orgNumber,
      name: 'Eksempel Bygg AS',
      address: { lines: ['Postboks 1'], postalCode: '0101', city: 'OSLO' },
    },
  };
};
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
const messageOf = async (letterId: string) => {
  const l = await letter(letterId);
  // the current version's document uuid: the primary document of its message at Digipost
  const [doc] = await sys.db
    .select({ uuid: letterDocuments.documentUuid })
    .from(letterDocuments)
    .where(and(eq(letterDocuments.letterId, l.id), eq(letterDocuments.version, l.versions.at(-1)!.version)));
  return sys.sim.messages.find((m) => m.documents[0]!.uuid === doc!.uuid);
};

/** A plain A4 PDF of `pages` pages, each with its number in words, written by pdf-lib. */
async function a4Pdf(title: string, pages: number): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  const font = await doc.embedFont('Helvetica');
  for (let i = 1; i <= pages; i++)
    doc.addPage([595.28, 841.89]).drawText(`${title} side ${i}`, { x: 72, y: 700, size: 12, font });
  return doc.save();
}

const ids: Record<string, string> = {};

describe('organisation recipients and attachments', () => {
  it('refuses a letter naming both a national id and an organisation number, naming the field', async () => {
    const body = toOrganisation(DIGIPOST_ORG, 'SAK-ORG-BAD');
    const res = await sys.api('/v1/letters', {
      body: { ...body, recipient: { ...body.recipient, nationalId: DIGIPOST_USER } },
    });
    expect(res.status).toBe(400);
    const err = (await res.json()) as { error: { details: { field: string }[] } };
    expect(err.error.details.map((d) => d.field)).toEqual(['recipient.orgNumber']);
  });

  it('refuses a non-PDF attachment by index, storing nothing', async () => {
    const res = await sys.api('/v1/letters', {
      body: {
        ...letterRequest(DIGIPOST_USER, { caseId: 'SAK-ATT-BAD' }),
        attachments: [
          { title: 'Faktura', content: b64(await samplePdf('Faktura')) },
          { title: 'Notat', content: b64(Buffer.from('bare tekst')) },
        ],
      },
    });
    expect(res.status).toBe(400);
    const err = (await res.json()) as { error: { message: string; details: { field: string }[] } };
    expect(err.error.details.map((d) => d.field)).toEqual(['attachments.1.content']);
    expect(err.error.message).toMatch(/not a PDF/);
    const cases = await sys.json<{ letters: unknown[] }>('/v1/cases/SAK-ATT-BAD/letters');
    expect(cases.letters).toEqual([]);
  });

  it('sends one run: Sendt web to an organisation with a mailbox, Sendt print to one without', async () => {
    ids.orgDigital = await create(toOrganisation(DIGIPOST_ORG, 'SAK-ORG'));
    ids.orgPrint = await create(toOrganisation(NON_USER_ORG, 'SAK-ORG'));
    ids.attachments = await create({
      ...letterRequest(NON_USER, { caseId: 'SAK-ATT' }),
      attachments: [
        { title: 'Faktura 2026-117', content: b64(await a4Pdf('Faktura', 1)) },
        { title: 'Avtalevilkår', content: b64(await a4Pdf('Vilkår', 3)) },
      ],
    });
    for (const id of Object.values(ids)) await reaches(id, 'QUEUED');
    const run = await sys.json<{ counts: { total: number } }>('/v1/runs', { body: {} });
    expect(run.counts.total).toBe(3);

    const digital = await reaches(ids.orgDigital!, 'SENT_DIGITAL');
    expect(digital.channel).toBe('DIGIPOST');
    const atDigipost = await messageOf(ids.orgDigital!);
    expect(atDigipost?.recipientKey).toBe(DIGIPOST_ORG);
    expect(atDigipost?.channel).toBe('DIGIPOST');

    const printed = await reaches(ids.orgPrint!, 'SENT_PRINT');
    expect(printed.channel).toBe('PRINT');
    const printedAt = await messageOf(ids.orgPrint!);
    expect(printedAt?.recipientKey).toBe(NON_USER_ORG);
    expect(printedAt?.channel).toBe('PRINT');
  });

  it('delivers a letter with two attachments as one message of three documents whose PDFs parse', async () => {
    const sent = await reaches(ids.attachments!, 'SENT_PRINT');
    const version = sent.versions.at(-1)!;
    expect(version.attachments.map((a) => [a.position, a.title, a.pages])).toEqual([
      [0, 'Faktura 2026-117', 1],
      [1, 'Avtalevilkår', 3],
    ]);
    const message = await messageOf(ids.attachments!);
    expect(message).toBeDefined();
    expect(message!.documents.map((d) => [d.isPrimary, d.subject, d.fileType])).toEqual([
      [true, expect.any(String), 'pdf'],
      [false, 'Faktura 2026-117', 'pdf'],
      [false, 'Avtalevilkår', 'pdf'],
    ]);
    // each document's stored bytes are a PDF that pdf.js (not the library that wrote them) reads
    const pages = [];
    for (const d of message!.documents) pages.push(await inspectPdf(d.content));
    expect(pages.map((p) => p.length)).toEqual([version.pages, 1, 3]);
    expect(pageText(pages[1]![0]!)).toMatch(/Faktura side 1/);
    expect(pageText(pages[2]![2]!)).toMatch(/Vilkår side 3/);
    // the attachment can be downloaded as it was sent
    const download = await sys.api(version.attachments[1]!.pdf);
    expect(download.status).toBe(200);
    expect(Buffer.from(await download.arrayBuffer()).equals(message!.documents[2]!.content)).toBe(true);
    // print is billed for every document's sheets: the letter's, the invoice's and the three-page terms'
    const [cost] = await sys.db.select().from(costLedger).where(eq(costLedger.letterId, ids.attachments!));
    expect(cost?.channel).toBe('PRINT');
    expect(cost?.sheets).toBe(sheetsFor(version.pages) + sheetsFor(1) + sheetsFor(3));
  });

  it('an organisation without a mailbox and an incomplete address is Ikke sendt; the correction resends its attachments', async () => {
    const body = toOrganisation(NON_USER_ORG, 'SAK-ORG-FIX');
    const id = await create({
      ...body,
      recipient: { ...body.recipient, address: { lines: ['Postboks 1'], city: 'OSLO' } },
      attachments: [{ title: 'Faktura 2026-118', content: b64(await a4Pdf('Faktura', 2)) }],
    });
    await reaches(id, 'QUEUED');
    await sys.json('/v1/runs', { body: {} });
    const failed = await until('not sent', async () => {
      const l = await sys.json<Letter & { failure: { code: string } | null }>(`/v1/letters/${id}`);
      return l.status === 'NOT_SENT' && l;
    });
    expect(failed.failure?.code).toBe('INCOMPLETE_ADDRESS');
    const res = await sys.api(`/v1/letters/${id}/correction`, {
      body: { address: { lines: ['Postboks 1'], postalCode: '0101', city: 'OSLO' } },
    });
    expect(res.status).toBe(202);
    await until('version 2 queued', async () => {
      const l = await letter(id);
      return l.status === 'QUEUED' && l.versions.length === 2;
    });
    await sys.json('/v1/runs', { body: {} });
    const sent = await reaches(id, 'SENT_PRINT');
    expect(sent.versions.map((v) => v.attachments.map((a) => [a.title, a.pages]))).toEqual([
      [['Faktura 2026-118', 2]],
      [['Faktura 2026-118', 2]],
    ]);
    const message = await messageOf(id);
    expect(message?.recipientKey).toBe(NON_USER_ORG);
    expect(message?.documents).toHaveLength(2);
    // version 2's attachment is a new Digipost document, with the same bytes
    const v1 = await sys.api(sent.versions[0]!.attachments[0]!.pdf);
    expect(Buffer.from(await v1.arrayBuffer()).equals(message!.documents[1]!.content)).toBe(true);
    const [v1Attachment] = await sys.db
      .select({ uuid: letterAttachments.documentUuid })
      .from(letterAttachments)
      .where(and(eq(letterAttachments.letterId, id), eq(letterAttachments.version, 1)));
    expect(v1Attachment!.uuid).not.toBe(message!.documents[1]!.uuid);
  });
});
