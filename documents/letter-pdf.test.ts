import { describe, expect, it } from 'vitest';
import { PDFDocument } from 'pdf-lib';
import { A4, renderLetterPdf } from './letter-pdf';

describe('renderLetterPdf', () => {
  it('produces a parseable A4 PDF with the merge data as text', async () => {
    const bytes = await renderLetterPdf({
      title: 'Inkassovarsel',
      addressLines: ['Kari Nordmann', 'Storgata 1', '0155 Oslo'],
      fields: { Beløp: '1 234,50', KID: '1234567890', Forfall: '2026-12-24' },
    });
    expect(Buffer.from(bytes.subarray(0, 5)).toString()).toBe('%PDF-');
    const doc = await PDFDocument.load(bytes);
    expect(doc.getPageCount()).toBe(1);
    const { width, height } = doc.getPage(0).getSize();
    expect(Math.round(width)).toBe(Math.round(A4.width));
    expect(Math.round(height)).toBe(Math.round(A4.height));
    expect(Buffer.from(bytes).toString('latin1')).toContain('/BaseFont /Helvetica');
  });

  it('adds pages when the content is long', async () => {
    const fields = Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`Linje ${i}`, 'x']));
    const doc = await PDFDocument.load(await renderLetterPdf({ title: 'Lang', addressLines: [], fields }));
    expect(doc.getPageCount()).toBeGreaterThan(1);
  });
});
