// Printability checks on a PDF bound for print (digipost-api.md §4.5), after Digipost's printability-validator.
// Returns the validator's error name, which the simulator reports under the API code INVALID_PDF_CONTENT.
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { PDFDocument } from 'pdf-lib';

export type PrintabilityError =
  | 'PDF_IS_ENCRYPTED'
  | 'TOO_MANY_PAGES_FOR_AUTOMATED_PRINT'
  | 'UNSUPPORTED_PDF_VERSION_FOR_PRINT'
  | 'INSUFFICIENT_MARGIN_FOR_PRINT'
  | 'UNSUPPORTED_DIMENSIONS'
  | 'DOCUMENT_HAS_NO_PAGES'
  | 'PDF_PARSE_ERROR';

const MM = 72 / 25.4;
const A4 = { w: 210 * MM, h: 297 * MM };
/** Default tolerance per dimension: −10 mm / +0 mm (a rounding slack of 0.5 pt is allowed above). */
const TOLERANCE_BELOW = 10 * MM;
/** The barcode zone in the left margin: x 0–15 mm, 95–175 mm from the top of the page. */
const ZONE = { x0: 0, x1: 15 * MM, top0: 95 * MM, top1: 175 * MM };

const require = createRequire(import.meta.url);
const standardFontDataUrl = join(dirname(require.resolve('pdfjs-dist/package.json')), 'standard_fonts') + '/';
// Loaded on the first print check, then kept: a dynamic import() on every call still goes through the module
// loader's resolve step (under tsx a round trip to its loader thread).
let pdfjsLoading: Promise<typeof import('pdfjs-dist/legacy/build/pdf.mjs')> | undefined;
const pdfjsLib = () => (pdfjsLoading ??= import('pdfjs-dist/legacy/build/pdf.mjs'));

function a4(w: number, h: number): boolean {
  const fits = (v: number, nominal: number) => v >= nominal - TOLERANCE_BELOW && v <= nominal + 0.5;
  return (fits(w, A4.w) && fits(h, A4.h)) || (fits(w, A4.h) && fits(h, A4.w));
}

export async function printabilityError(
  pdf: Buffer,
  maxPages: number,
): Promise<{ error: PrintabilityError; detail: string } | undefined> {
  const version = /^%PDF-(\d)\.(\d)/.exec(pdf.subarray(0, 16).toString('latin1'));
  if (!version) return { error: 'PDF_PARSE_ERROR', detail: 'no %PDF header' };
  if (version[1] !== '1' || Number(version[2]) > 7)
    return { error: 'UNSUPPORTED_PDF_VERSION_FOR_PRINT', detail: `PDF ${version[1]}.${version[2]}` };
  let doc: PDFDocument;
  try {
    doc = await PDFDocument.load(pdf, { ignoreEncryption: true, updateMetadata: false });
  } catch (e) {
    return { error: 'PDF_PARSE_ERROR', detail: (e as Error).message };
  }
  if (doc.isEncrypted) return { error: 'PDF_IS_ENCRYPTED', detail: 'the PDF is encrypted' };
  const pages = doc.getPageCount();
  if (pages === 0) return { error: 'DOCUMENT_HAS_NO_PAGES', detail: 'the PDF has no pages' };
  if (pages > maxPages)
    return {
      error: 'TOO_MANY_PAGES_FOR_AUTOMATED_PRINT',
      detail: `${pages} pages, at most ${maxPages} for print`,
    };
  for (const [i, page] of doc.getPages().entries()) {
    const { width, height } = page.getSize();
    if (!a4(width, height))
      return {
        error: 'UNSUPPORTED_DIMENSIONS',
        detail: `page ${i + 1} is ${(width / MM).toFixed(0)}×${(height / MM).toFixed(0)} mm, not A4`,
      };
  }
  const pdfjs = await pdfjsLib();
  const loaded = await pdfjs.getDocument({
    data: new Uint8Array(pdf),
    standardFontDataUrl,
    isEvalSupported: false,
  }).promise;
  try {
    for (let n = 1; n <= loaded.numPages; n++) {
      const page = await loaded.getPage(n);
      const [, , , top] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      for (const item of content.items) {
        if (!('str' in item) || !item.str.trim()) continue;
        const [, , , , x, y] = item.transform as number[];
        const x0 = x!;
        const x1 = x! + item.width;
        const fromTop1 = top - y!;
        const fromTop0 = fromTop1 - item.height;
        if (x0 < ZONE.x1 && x1 > ZONE.x0 && fromTop0 < ZONE.top1 && fromTop1 > ZONE.top0)
          return {
            error: 'INSUFFICIENT_MARGIN_FOR_PRINT',
            detail: `page ${n} has text in the barcode zone (left 15 mm, 95–175 mm from the top)`,
          };
      }
    }
  } finally {
    await loaded.destroy();
  }
  return undefined;
}
