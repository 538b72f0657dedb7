// Renders a letter as a printable A4 PDF: standard-14 fonts only (nothing to embed), and the left barcode zone
// (0–15 mm × 95–175 mm from the top left, digipost-api.md §4.5) kept free because all text starts at 25 mm.
// Free-form letters from merge fields; templated letters are rendered by renderTemplate (./index.ts).
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { A4, MM } from './page-layout';

export { A4 };
const LEFT = 25 * MM;
const FONT_SIZE = 11;
const LINE = FONT_SIZE * 1.4;

export interface LetterContent {
  title: string;
  /** Envelope-window address block, top left. */
  addressLines: string[];
  /** Free text fields from the case system, rendered as "label: value". */
  fields: Record<string, string | number>;
}

export async function renderLetterPdf(content: LetterContent): Promise<Uint8Array> {
  const doc = await PDFDocument.create();
  doc.setTitle(content.title);
  doc.setCreationDate(new Date(0));
  doc.setModificationDate(new Date(0));
  const font = await doc.embedFont(StandardFonts.Helvetica);
  const bold = await doc.embedFont(StandardFonts.HelveticaBold);
  let page = doc.addPage([A4.width, A4.height]);
  let y = A4.height - 45 * MM;
  const write = (text: string, f = font, size = FONT_SIZE) => {
    if (y < 25 * MM) {
      page = doc.addPage([A4.width, A4.height]);
      y = A4.height - 25 * MM;
    }
    // WinAnsi covers Norwegian letters; anything outside it is replaced rather than failing the render.
    const safe = [...text]
      .map((c) => (font.getCharacterSet().includes(c.codePointAt(0)!) ? c : '?'))
      .join('');
    page.drawText(safe, { x: LEFT, y, size, font: f });
    y -= LINE;
  };
  for (const line of content.addressLines) write(line);
  y -= 3 * LINE;
  write(content.title, bold, 14);
  y -= LINE;
  for (const [k, v] of Object.entries(content.fields)) write(`${k}: ${String(v)}`);
  return doc.save({ useObjectStreams: false });
}
