// What an attachment must be before it is stored: a readable, unencrypted PDF with at least one page, every
// page A4 (portrait or landscape) within Digipost's print tolerance of −10 mm / +0 mm (digipost-api.md §4.5),
// since a letter that falls back to print is printed with its attachments. Parsed with pdf-lib, the library
// that writes our own letters.
import { PDFDocument } from 'pdf-lib';
import { MM } from './page-layout';

const A4_MM = { width: 210, height: 297 };
/** Digipost's default tolerance: a page may be up to 10 mm smaller than A4, never larger. */
const TOLERANCE_MM = 10;
/** Rounding in PDF points (A4 is 595.28 × 841.89 pt; files often say 595 × 842). */
const ROUNDING_PT = 1;

const fits = (pt: number, mm: number) => pt <= mm * MM + ROUNDING_PT && pt >= (mm - TOLERANCE_MM) * MM;
const isA4 = (w: number, h: number) =>
  (fits(w, A4_MM.width) && fits(h, A4_MM.height)) || (fits(w, A4_MM.height) && fits(h, A4_MM.width));

export type AttachmentCheck = { ok: true; pages: number } | { ok: false; problem: string };

/** Checks one attachment's bytes; the problem, in English, names what is wrong (and the page, if one is). */
export async function checkAttachmentPdf(bytes: Uint8Array): Promise<AttachmentCheck> {
  if (Buffer.from(bytes.subarray(0, 1024)).indexOf('%PDF-') < 0)
    return { ok: false, problem: 'not a PDF (no %PDF- header)' };
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(bytes, { updateMetadata: false, throwOnInvalidObject: true });
  } catch (e) {
    const name = (e as Error).name ?? '';
    if (/Encrypted/i.test(name) || /encrypted/i.test((e as Error).message))
      return { ok: false, problem: 'the PDF is encrypted or password-protected; print needs it open' };
    return { ok: false, problem: 'not a readable PDF' };
  }
  let sizes: { width: number; height: number }[];
  try {
    sizes = doc.getPages().map((p) => p.getSize());
  } catch {
    return { ok: false, problem: 'not a readable PDF (its page tree is broken)' };
  }
  if (sizes.length === 0) return { ok: false, problem: 'the PDF has no pages' };
  for (const [i, { width, height }] of sizes.entries()) {
    if (!isA4(width, height))
      return {
        ok: false,
        problem: `page ${i + 1} is ${(width / MM).toFixed(0)} × ${(height / MM).toFixed(0)} mm; print needs A4 (210 × 297 mm)`,
      };
  }
  return { ok: true, pages: sizes.length };
}
