// The edge of POST /v1/letters for organisation recipients and attachments: every refusal names the field.
import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { createLetterSchema } from './letters-schemas';
import { ApiError, fromZod } from './errors';
import { checkAttachments } from './letter-attachments';
import { MAX_ATTACHMENTS } from './attachments-schema';
import { samplePdf } from '../test/support/pdf';

const base = {
  caseId: 'SAK-1',
  templateCode: 'IKV_inkassovarsel',
  recipient: { name: 'Eksempel AS', address: { lines: ['Postboks 1'], postalCode: '0101', city: 'Oslo' } },
};
const fields = (body: unknown) => {
  const r = createLetterSchema.safeParse(body);
  if (r.success) return [];
  return [...new Set((fromZod(r.error).details as { field: string }[]).map((d) => d.field))];
};
const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');

async function pdfOfSize(width: number, height: number, pages = 1): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  for (let i = 0; i < pages; i++) doc.addPage([width, height]);
  return doc.save();
}

describe('recipient: a person or an organisation', () => {
  it('accepts a valid organisation number instead of a national id', () => {
    const r = createLetterSchema.safeParse({
      ...base,
      recipient: { ...base.recipient, orgNumber: '974760673' },
    });
    expect(r.success).toBe(true);
    expect(r.data?.recipient).toMatchObject({ orgNumber: '974760673' });
    expect(r.data?.recipient.nationalId).toBeUndefined();
  });

  it('refuses an organisation number with a wrong control digit or length, naming recipient.orgNumber', () => {
    for (const orgNumber of ['974760674', '97476067', '97476067x'])
      expect(fields({ ...base, recipient: { ...base.recipient, orgNumber } })).toEqual([
        'recipient.orgNumber',
      ]);
  });

  it('refuses both identifiers, naming recipient.orgNumber', () => {
    const body = {
      ...base,
      recipient: { ...base.recipient, orgNumber: '974760673', nationalId: '01019010046' },
    };
    expect(fields(body)).toEqual(['recipient.orgNumber']);
    expect(fromZod(createLetterSchema.safeParse(body).error!).message).toMatch(/not both/);
  });

  it('refuses neither identifier, naming recipient.nationalId', () => {
    const r = createLetterSchema.safeParse(base);
    expect(fields(base)).toEqual(['recipient.nationalId']);
    expect(fromZod(r.error!).message).toMatch(/orgNumber/);
  });
});

describe('attachments', () => {
  const person = { ...base, recipient: { ...base.recipient, nationalId: '01019010046' } };

  it('accepts A4 PDFs with titles and counts their pages', async () => {
    const parsed = createLetterSchema.parse({
      ...person,
      attachments: [
        { title: 'Faktura', content: b64(await samplePdf('Faktura')) },
        { title: 'Vedlegg', content: b64(await pdfOfSize(595.28, 841.89, 3)) },
      ],
    });
    const checked = await checkAttachments(parsed.attachments);
    expect(checked.map((a) => [a.title, a.pages])).toEqual([
      ['Faktura', 1],
      ['Vedlegg', 3],
    ]);
  });

  it(`refuses more than ${MAX_ATTACHMENTS}, naming attachments`, async () => {
    const one = { title: 'x', content: b64(await samplePdf('x')) };
    expect(fields({ ...person, attachments: Array(MAX_ATTACHMENTS + 1).fill(one) })).toEqual(['attachments']);
    expect(fields({ ...person, attachments: Array(MAX_ATTACHMENTS).fill(one) })).toEqual([]);
  });

  it('refuses a blank title and content that is not base64, by index', () => {
    expect(
      fields({
        ...person,
        attachments: [
          { title: '  ', content: 'JVBERi0=' },
          { title: 'ok', content: 'not base64!' },
        ],
      }),
    ).toEqual(['attachments.0.title', 'attachments.1.content']);
  });

  it('refuses what is not a PDF, a broken PDF and a page that is not A4, naming index and problem', async () => {
    const good = await samplePdf('ok');
    const attempt = checkAttachments([
      { title: 'ok', content: b64(good) },
      { title: 'tekst', content: b64(Buffer.from('Dette er ikke en PDF')) },
      { title: 'avkappet', content: b64(good.subarray(0, 400)) },
      { title: 'letter', content: b64(await pdfOfSize(612, 792)) },
    ]);
    const e = await attempt.then(
      () => undefined,
      (x: unknown) => x,
    );
    expect(e).toBeInstanceOf(ApiError);
    const err = e as ApiError;
    expect(err.status).toBe(400);
    const details = err.details as { field: string; problem: string }[];
    expect(details.map((d) => d.field)).toEqual([
      'attachments.1.content',
      'attachments.2.content',
      'attachments.3.content',
    ]);
    expect(details[0]!.problem).toMatch(/not a PDF/);
    expect(details[1]!.problem).toMatch(/PDF/);
    expect(details[2]!.problem).toMatch(/page 1 is 216 × 279 mm; print needs A4/);
  });

  it('refuses an encrypted PDF and one without pages', async () => {
    const doc = await PDFDocument.create();
    doc.addPage([595.28, 841.89]);
    // a classic trailer (no cross-reference stream) to hang /Encrypt on
    const plain = Buffer.from(await doc.save({ useObjectStreams: false })).toString('latin1');
    const encrypted = plain.replace(
      /trailer\s*<</,
      'trailer\n<<\n/Encrypt << /Filter /Standard /V 1 /R 2 /O <00> /U <00> /P -4 >>',
    );
    expect(encrypted).not.toBe(plain);
    await expect(
      checkAttachments([{ title: 'e', content: b64(Buffer.from(encrypted, 'latin1')) }]),
    ).rejects.toThrow(/attachments\.0\.content: the PDF is encrypted/);
    const empty = await (await PDFDocument.create()).save({ addDefaultPage: false });
    await expect(checkAttachments([{ title: 'n', content: b64(empty) }])).rejects.toThrow(/has no pages/);
  });

  it('accepts a landscape A4 page and a page a few millimetres smaller, refuses one larger than A4', async () => {
    const mm = 72 / 25.4;
    await expect(
      checkAttachments([{ title: 'l', content: b64(await pdfOfSize(842, 595)) }]),
    ).resolves.toHaveLength(1);
    await expect(
      checkAttachments([{ title: 's', content: b64(await pdfOfSize(205 * mm, 292 * mm)) }]),
    ).resolves.toHaveLength(1);
    await expect(
      checkAttachments([{ title: 'b', content: b64(await pdfOfSize(215 * mm, 297 * mm)) }]),
    ).rejects.toThrow(/attachments\.0\.content: page 1 is 215 × 297 mm/);
  });
});
