import { describe, expect, it } from 'vitest';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { MAX_CLAIM_LINES } from './templates/merge-data';
import { TemplateError, listTemplates, renderTemplate } from './index';
import { A4, ADDRESS_WINDOW, BARCODE_ZONE, MM, PAGE_MARGIN_MM, toPdfRect } from './page-layout';
import {
  type InspectedPage,
  type Rect,
  inside,
  inspectPdf,
  intersects,
  pageText,
} from './testing/pdf-inspection';
import { sampleMergeData, sampleRecipient } from './testing/sample-data';

const rect = (r: { x: number; y: number; width: number; height: number }): Rect => ({
  x0: r.x,
  y0: r.y,
  x1: r.x + r.width,
  y1: r.y + r.height,
});
const barcodeZone = rect(toPdfRect(BARCODE_ZONE));
const window = rect(toPdfRect(ADDRESS_WINDOW));
const printable: Rect = {
  x0: PAGE_MARGIN_MM * MM,
  y0: PAGE_MARGIN_MM * MM,
  x1: A4.width - PAGE_MARGIN_MM * MM,
  y1: A4.height - PAGE_MARGIN_MM * MM,
};

function contentIn(page: InspectedPage, zone: Rect): string[] {
  return [
    ...page.texts.filter((t) => intersects(t.box, zone)).map((t) => `text "${t.str}"`),
    ...page.drawings.filter((d) => intersects(d, zone)).map((d) => `drawing ${JSON.stringify(d)}`),
  ];
}

function expectPrintReady(pages: InspectedPage[]): void {
  for (const [i, page] of pages.entries()) {
    expect([Math.round(page.width), Math.round(page.height)], `page ${i + 1} size`).toEqual([595, 842]);
    expect(contentIn(page, barcodeZone), `page ${i + 1} barcode zone`).toEqual([]);
    const outside = [...page.texts.map((t) => t.box), ...page.drawings].filter((b) => !inside(b, printable));
    expect(outside, `page ${i + 1} content within ${PAGE_MARGIN_MM} mm of an edge`).toEqual([]);
  }
}

describe('the inspection used below', () => {
  it('sees text and drawings placed in the barcode zone and outside the window', async () => {
    const doc = await PDFDocument.create();
    const page = doc.addPage([A4.width, A4.height]);
    const font = await doc.embedFont(StandardFonts.Helvetica);
    page.drawText('strekkode', { x: 3 * MM, y: A4.height - 120 * MM, size: 10, font });
    page.drawRectangle({ x: 5 * MM, y: A4.height - 170 * MM, width: 5 * MM, height: 5 * MM, borderWidth: 1 });
    page.drawText('Kari', { x: 130 * MM, y: A4.height - 60 * MM, size: 10, font });
    const [inspected] = await inspectPdf(await doc.save());
    expect(contentIn(inspected!, barcodeZone)).toHaveLength(2);
    expect(inside(inspected!.texts.find((t) => t.str === 'Kari')!.box, window)).toBe(false);
  });
});

describe('renderTemplate', () => {
  for (const { code } of listTemplates()) {
    it(`${code}: one print-ready A4 page with amounts, KID, due date, account and the address in the window`, async () => {
      const result = await renderTemplate(code, sampleMergeData(), sampleRecipient);
      expect(result).toMatchObject({ pages: 1, sheets: 1 });
      const bytes = Buffer.from(result.pdf);
      expect(bytes.subarray(0, 8).toString('latin1')).toMatch(/^%PDF-1\.[0-7]/);
      expect(bytes.toString('latin1')).not.toContain('/Encrypt');
      // Only standard-14 fonts, nothing embedded.
      expect(new Set(bytes.toString('latin1').match(/\/BaseFont \/[\w-]+/g))).toEqual(
        new Set(['/BaseFont /Helvetica', '/BaseFont /Helvetica-Bold']),
      );
      expect(bytes.toString('latin1')).not.toMatch(/\/FontFile/);

      const pages = await inspectPdf(result.pdf);
      expect(pages).toHaveLength(1);
      expectPrintReady(pages);
      const text = pageText(pages[0]!);
      for (const expected of [
        '1 234,50 kr', // claim line
        '412,00 kr',
        '35,00 kr', // fee
        '36,15 kr', // interest
        '1 717,65 kr', // total
        '12345678903', // KID
        '08.12.2026', // due date
        '8601 11 17947', // account number
        '23.11.2026', // letter date
        'INK-2026-004711',
        'Side 1 av 1',
      ])
        expect(text, expected).toContain(expected);

      const addressLines = [
        'Kari Nordmann',
        'c/o Ola Nordmann',
        'Storgata 1',
        'Leilighet H0203',
        '0155 OSLO',
      ];
      const inWindow = pages[0]!.texts.filter((t) => intersects(t.box, window));
      expect(inWindow.map((t) => t.str)).toEqual([
        expect.stringMatching(/^Returadresse: Oslo kommune/),
        ...addressLines,
      ]);
      for (const t of inWindow) expect(inside(t.box, window), t.str).toBe(true);
    });
  }

  it('writes the statutory warnings', async () => {
    const text = async (code: string) =>
      pageText((await inspectPdf((await renderTemplate(code, sampleMergeData(), sampleRecipient)).pdf))[0]!);
    expect(await text('IKV_inkassovarsel')).toMatch(/inkassoloven § 9[\s\S]*vil det bli sendt til inkasso/);
    expect(await text('BO_betalingsoppfordring')).toContain('inkassoloven § 10');
    expect(await text('SV_siste_varsel')).toContain('tvangsfullbyrdelsesloven § 4-18');
  });

  it('continues on numbered pages when the claim list is long, and stays print-ready', async () => {
    const claims = Array.from({ length: 120 }, (_, i) => ({
      description: `Faktura nr. ${i + 1}`,
      amount: 100,
    }));
    const data = sampleMergeData({ claims, fees: [], interest: undefined, total: 12_000 });
    const result = await renderTemplate('BO_betalingsoppfordring', data, sampleRecipient);
    expect(result.pages).toBeGreaterThan(1);
    expect(result.sheets).toBe(Math.ceil(result.pages / 2));
    const pages = await inspectPdf(result.pdf);
    expect(pages).toHaveLength(result.pages);
    expectPrintReady(pages);
    pages.forEach((p, i) => expect(pageText(p)).toContain(`Side ${i + 1} av ${result.pages}`));
    expect(pageText(pages[1]!)).toContain('Betalingsoppfordring – saksnr. INK-2026-004711 (fortsettelse)');
    expect(pageText(pages[1]!)).toContain('Beskrivelse'); // table header repeated
    const all = pages.map(pageText).join(' ');
    for (const n of [1, 60, 120]) expect(all).toContain(`Faktura nr. ${n} `);
    expect(all).toContain('12 000,00 kr');
  });

  it('fits the most claim lines allowed into the 14 pages of a C5 letter', async () => {
    const claims = Array.from({ length: MAX_CLAIM_LINES }, (_, i) => ({
      description:
        `Kommunale avgifter termin ${i + 1} for eiendommen gnr. 207 bnr. 1142 snr. 3, Storgata 1, 0155 Oslo`
          .padEnd(100, 'x')
          .slice(0, 100),
      invoiceNumber: `2026-${String(i).padStart(6, '0')}`,
      originalDueDate: '2026-09-20',
      amount: 999_999.99,
    }));
    const total = (MAX_CLAIM_LINES * 99_999_999 + 3500 + 3615) / 100;
    const result = await renderTemplate(
      'SV_siste_varsel',
      sampleMergeData({ claims, total }),
      sampleRecipient,
    );
    expect(result.pages).toBeLessThanOrEqual(14);
    expectPrintReady(await inspectPdf(result.pdf));
  });

  it('renders the same bytes for the same input', async () => {
    const a = await renderTemplate('IKV_inkassovarsel', sampleMergeData(), sampleRecipient);
    const b = await renderTemplate('IKV_inkassovarsel', sampleMergeData(), sampleRecipient);
    expect(Buffer.from(a.pdf).equals(Buffer.from(b.pdf))).toBe(true);
  });

  it('prints Sámi names without the letters Helvetica lacks', async () => {
    const recipient = { ...sampleRecipient, name: 'Áile Čeppi Đuođđa' };
    const result = await renderTemplate('IKV_inkassovarsel', sampleMergeData(), recipient);
    const [page] = await inspectPdf(result.pdf);
    expect(page!.texts.find((t) => intersects(t.box, window) && t.str.startsWith('Áile'))?.str).toBe(
      'Áile Ceppi Duodda',
    );
  });

  it('refuses unknown templates, bad merge data and bad recipients with field-level issues', async () => {
    const failure = async (p: Promise<unknown>) => {
      const error = await p.then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(TemplateError);
      return error as TemplateError;
    };
    expect((await failure(renderTemplate('XX_ukjent', sampleMergeData(), sampleRecipient))).code).toBe(
      'UNKNOWN_TEMPLATE',
    );

    const badData = await failure(
      renderTemplate('IKV_inkassovarsel', sampleMergeData({ kid: '123' }), sampleRecipient),
    );
    expect(badData).toMatchObject({ code: 'INVALID_MERGE_DATA', issues: [{ path: 'kid' }] });

    const badPostalCode = {
      ...sampleRecipient,
      address: { ...sampleRecipient.address, postalCode: 'N-0155' },
    };
    expect(
      await failure(renderTemplate('IKV_inkassovarsel', sampleMergeData(), badPostalCode)),
    ).toMatchObject({
      code: 'INVALID_RECIPIENT',
      issues: [{ path: 'address.postalCode' }],
    });

    const tooWide = { ...sampleRecipient, name: 'W'.repeat(80) };
    expect(await failure(renderTemplate('IKV_inkassovarsel', sampleMergeData(), tooWide))).toMatchObject({
      code: 'INVALID_RECIPIENT',
      issues: [{ path: 'name', message: 'too long to print in the envelope window' }],
    });
  });
});
