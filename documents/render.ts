// Lays a template's blocks out as a print-ready A4 letter (digipost-api.md §4.5): standard-14 Helvetica only
// (nothing to embed), the barcode zone and a 10 mm border left empty, the recipient in the envelope window, a
// sender line above it, page numbers on every page, no encryption, at most 14 pages.
import { PDFDocument, type PDFFont, type PDFPage, StandardFonts, rgb } from 'pdf-lib';
import {
  A4,
  ADDRESS_WINDOW,
  BODY,
  FOOTER_BASELINE_MM,
  MAX_PRINT_PAGES,
  MM,
  WINDOW_PADDING_MM,
  sheetsFor,
} from './page-layout';
import { formatAccountNumber, formatDate, formatNok, formatOrgNumber, toOre } from './norwegian-format';
import type { MergeData, Recipient } from './templates/merge-data';
import type { Block, TemplateDefinition } from './templates/template-definition';
import { TemplateError } from './template-error';

const LEADING = 1.3;
const SIZE = { body: 10, table: 9, heading: 14, sender: 13, reference: 9, footer: 7.5 };
const GREY = rgb(0.35, 0.35, 0.35);

/** PDF x coordinate of a distance from the left edge in mm. */
const x = (mm: number) => mm * MM;
/** PDF y coordinate of a distance from the top edge in mm. */
const yFromTop = (mm: number) => A4.height - mm * MM;

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
}

/**
 * Helvetica is WinAnsi-encoded: it has æøå and most Latin letters, but not every letter in Norwegian names (Sámi
 * č, đ, ŋ, ŧ). Those are written without their diacritic; anything else unprintable becomes "?".
 */
const characterSets = new Map<string, Set<number>>();

function printable(text: string, font: PDFFont): string {
  let supported = characterSets.get(font.name);
  if (!supported) characterSets.set(font.name, (supported = new Set(font.getCharacterSet())));
  const fallback: Record<string, string> = { đ: 'd', Đ: 'D', ŋ: 'n', Ŋ: 'N', ŧ: 't', Ŧ: 'T', ł: 'l', Ł: 'L' };
  return [...text.replace(/\s+/g, ' ')]
    .map((c) => {
      if (supported.has(c.codePointAt(0)!)) return c;
      const base = c.normalize('NFD')[0]!;
      if (base !== c && supported.has(base.codePointAt(0)!)) return base;
      return fallback[c] ?? '?';
    })
    .join('');
}

/**
 * The standard-14 fonts' metrics are the same in every document, and most of a letter's text (its template's
 * phrases, its table headings) is the same in every letter of a template: a text's lines are measured once per
 * font, size and width, and kept (a bounded number: the cache is emptied when full).
 */
const wrapped = new Map<string, readonly string[]>();
const WRAPPED_MAX = 10_000;

/** Splits text into lines no wider than `width`; a word wider than a line is broken. */
function wrap(text: string, font: PDFFont, size: number, width: number): readonly string[] {
  const key = `${font.name}\u0000${size}\u0000${width}\u0000${text}`;
  let lines = wrapped.get(key);
  if (!lines) {
    if (wrapped.size >= WRAPPED_MAX) wrapped.clear();
    wrapped.set(key, (lines = wrapLines(text, font, size, width)));
  }
  return lines;
}

function wrapLines(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(' ')) {
    const candidate = current ? `${current} ${word}` : word;
    if (font.widthOfTextAtSize(candidate, size) <= width) {
      current = candidate;
      continue;
    }
    if (current) lines.push(current);
    current = word;
    while (font.widthOfTextAtSize(current, size) > width) {
      let cut = current.length - 1;
      while (cut > 1 && font.widthOfTextAtSize(current.slice(0, cut), size) > width) cut--;
      lines.push(current.slice(0, cut));
      current = current.slice(cut);
    }
  }
  if (current || lines.length === 0) lines.push(current);
  return lines;
}

/** The largest size from `max` down to `min` at which the text fits; at `min`, the text is cut with "…". */
function fit(
  text: string,
  font: PDFFont,
  max: number,
  min: number,
  width: number,
): { text: string; size: number } {
  for (let size = max; size >= min; size -= 0.5) {
    if (font.widthOfTextAtSize(text, size) <= width) return { text, size };
  }
  let cut = text;
  while (cut.length > 1 && font.widthOfTextAtSize(`${cut}…`, min) > width) cut = cut.slice(0, -1);
  return { text: `${cut}…`, size: min };
}

/** Writes body blocks top-down, starting new pages as needed. `y` is the baseline of the next line. */
class BodyWriter {
  readonly pages: PDFPage[] = [];
  private page!: PDFPage;
  private y = 0;
  /** Called after a page break inside a block that repeats something (the table header). */
  private onBreak: (() => void) | undefined;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
    private readonly continuationTitle: string,
  ) {
    this.addPage();
  }

  get firstPage(): PDFPage {
    return this.pages[0]!;
  }

  private addPage(): void {
    this.page = this.doc.addPage([A4.width, A4.height]);
    this.pages.push(this.page);
    if (this.pages.length === 1) {
      this.y = yFromTop(BODY.firstPageTop);
      return;
    }
    this.text(this.continuationTitle, x(BODY.left), yFromTop(20), this.fonts.regular, SIZE.table, GREY);
    this.y = yFromTop(BODY.continuationTop);
    this.onBreak?.();
  }

  /** Starts a new page unless `height` points fit above the bottom margin. */
  ensure(height: number): void {
    if (this.y - height < yFromTop(BODY.bottom)) this.addPage();
  }

  space(points: number): void {
    this.y -= points;
  }

  text(text: string, atX: number, atY: number, font: PDFFont, size: number, color = rgb(0, 0, 0)): void {
    this.page.drawText(text, { x: atX, y: atY, size, font, color });
  }

  /** One line at the current baseline, then moves down. Text must already be printable. */
  line(text: string, opts: { xMm?: number; font?: PDFFont; size?: number; rightMm?: number } = {}): void {
    const font = opts.font ?? this.fonts.regular;
    const size = opts.size ?? SIZE.body;
    this.ensure(size * LEADING);
    const atX =
      opts.rightMm !== undefined
        ? x(opts.rightMm) - font.widthOfTextAtSize(text, size)
        : x(opts.xMm ?? BODY.left);
    this.text(text, atX, this.y, font, size);
    this.y -= size * LEADING;
  }

  /** A row of cells sharing a baseline; each cell wraps within its width. */
  row(
    cells: { text: string; xMm: number; widthMm: number; right?: boolean }[],
    font: PDFFont,
    size: number,
  ): void {
    const wrapped = cells.map((c) => wrap(printable(c.text, font), font, size, x(c.widthMm)));
    const height = Math.max(...wrapped.map((w) => w.length)) * size * LEADING;
    this.ensure(height);
    cells.forEach((c, i) => {
      wrapped[i]!.forEach((l, j) => {
        const atX = c.right ? x(c.xMm + c.widthMm) - font.widthOfTextAtSize(l, size) : x(c.xMm);
        this.text(l, atX, this.y - j * size * LEADING, font, size);
      });
    });
    this.y -= height;
  }

  rule(): void {
    const y = this.y + SIZE.table * 0.9;
    this.page.drawLine({
      start: { x: x(BODY.left), y },
      end: { x: x(BODY.right), y },
      thickness: 0.5,
      color: GREY,
    });
    this.y -= 2;
  }

  /** A framed box of label/value rows, kept on one page. */
  box(rows: [string, string][]): void {
    const size = SIZE.body;
    const pad = 3 * MM;
    const height = rows.length * size * LEADING + 2 * pad;
    this.ensure(height + size);
    const top = this.y + size;
    this.page.drawRectangle({
      x: x(BODY.left),
      y: top - height,
      width: x(BODY.right) - x(BODY.left),
      height,
      borderColor: rgb(0, 0, 0),
      borderWidth: 0.8,
    });
    let baseline = top - pad - size * 0.8;
    for (const [label, value] of rows) {
      this.text(printable(label, this.fonts.regular), x(BODY.left + 5), baseline, this.fonts.regular, size);
      this.text(printable(value, this.fonts.bold), x(BODY.left + 55), baseline, this.fonts.bold, size);
      baseline -= size * LEADING;
    }
    this.y = top - height - size * LEADING;
  }

  withRepeatedHeader(header: () => void, body: () => void): void {
    header();
    this.onBreak = header;
    body();
    this.onBreak = undefined;
  }
}

function claimsTable(w: BodyWriter, fonts: Fonts, d: MergeData): void {
  const cols = (desc: string, invoice: string, due: string, amount: string) => [
    { text: desc, xMm: 25, widthMm: 68 },
    { text: invoice, xMm: 95, widthMm: 28 },
    { text: due, xMm: 125, widthMm: 22 },
    { text: amount, xMm: 150, widthMm: 40, right: true },
  ];
  const header = () => {
    w.row(cols('Beskrivelse', 'Fakturanr.', 'Forfalt', 'Beløp'), fonts.bold, SIZE.table);
    w.rule();
  };
  const interestText = () => {
    const i = d.interest!;
    const rate = i.ratePercent !== undefined ? ` ${String(i.ratePercent).replace('.', ',')} %` : '';
    const from = i.from ? ` fra ${formatDate(i.from)}` : '';
    return `Forsinkelsesrente${rate}${from} til ${formatDate(d.letterDate)}`;
  };
  w.withRepeatedHeader(header, () => {
    for (const c of d.claims) {
      const due = c.originalDueDate ? formatDate(c.originalDueDate) : '';
      w.row(
        cols(c.description, c.invoiceNumber ?? '', due, formatNok(toOre(c.amount))),
        fonts.regular,
        SIZE.table,
      );
    }
    for (const f of d.fees)
      w.row(cols(f.description, '', '', formatNok(toOre(f.amount))), fonts.regular, SIZE.table);
    if (d.interest)
      w.row(cols(interestText(), '', '', formatNok(toOre(d.interest.amount))), fonts.regular, SIZE.table);
    if (d.paid) w.row(cols('Innbetalt', '', '', formatNok(-toOre(d.paid))), fonts.regular, SIZE.table);
  });
  w.ensure(2 * SIZE.table * LEADING);
  w.space(2);
  w.rule();
  w.row(cols('Å betale', '', '', formatNok(toOre(d.total))), fonts.bold, SIZE.table);
  w.space(SIZE.body * 0.8);
}

function writeBlock(w: BodyWriter, fonts: Fonts, d: MergeData, block: Block): void {
  const width = x(BODY.right) - x(BODY.left);
  switch (block.kind) {
    case 'heading': {
      const lines = wrap(printable(block.text, fonts.bold), fonts.bold, SIZE.heading, width);
      w.ensure(lines.length * SIZE.heading * LEADING + 3 * SIZE.body * LEADING);
      for (const l of lines) w.line(l, { font: fonts.bold, size: SIZE.heading });
      w.space(SIZE.body * 0.5);
      return;
    }
    case 'paragraph': {
      const font = block.bold ? fonts.bold : fonts.regular;
      for (const l of wrap(printable(block.text, font), font, SIZE.body, width)) w.line(l, { font });
      w.space(SIZE.body * 0.6);
      return;
    }
    case 'facts': {
      for (const [label, value] of block.rows) {
        w.row(
          [
            { text: `${label}:`, xMm: BODY.left, widthMm: 30 },
            { text: value, xMm: BODY.left + 30, widthMm: BODY.right - BODY.left - 30 },
          ],
          fonts.regular,
          SIZE.body,
        );
      }
      w.space(SIZE.body * 0.6);
      return;
    }
    case 'claims':
      claimsTable(w, fonts, d);
      return;
    case 'payment':
      w.box([
        ['Beløp å betale', formatNok(toOre(d.total))],
        ['Betalingsfrist', formatDate(d.dueDate)],
        ['Til kontonummer', formatAccountNumber(d.accountNumber)],
        ['KID', d.kid],
      ]);
      return;
  }
}

/** Window sizes tried, largest first; Posten wants one size for the whole address. */
const WINDOW_SIZES = [10, 9.5, 9, 8.5, 8, 7.5, 7];

function recipientLines(r: Recipient): { text: string; path: string }[] {
  return [
    { text: r.name, path: 'name' },
    ...r.address.lines.map((l, i) => ({ text: l, path: `address.lines.${i}` })),
    { text: [r.address.postalCode, r.address.city].filter(Boolean).join(' '), path: 'address.city' },
  ].filter((l) => l.text.length > 0);
}

/** Return address on one line and the recipient below it, inside the envelope window. */
function drawWindow(page: PDFPage, fonts: Fonts, d: MergeData, r: Recipient): void {
  const width = x(ADDRESS_WINDOW.width - 2 * WINDOW_PADDING_MM);
  const left = x(ADDRESS_WINDOW.left + WINDOW_PADDING_MM);
  const lines = recipientLines(r).map((l) => ({ ...l, text: printable(l.text, fonts.regular) }));
  const size = WINDOW_SIZES.find((s) =>
    lines.every((l) => fonts.regular.widthOfTextAtSize(l.text, s) <= width),
  );
  if (size === undefined) {
    const tooWide = lines.filter((l) => fonts.regular.widthOfTextAtSize(l.text, 7) > width);
    throw new TemplateError(
      'INVALID_RECIPIENT',
      'the recipient address does not fit the envelope window',
      tooWide.map((l) => ({ path: l.path, message: 'too long to print in the envelope window' })),
    );
  }
  const c = d.creditor;
  const sender = printable(
    `Returadresse: ${[c.name, ...c.address.lines, `${c.address.postalCode} ${c.address.city}`].join(', ')}`,
    fonts.regular,
  );
  const ret = fit(sender, fonts.regular, Math.min(7, size), 5, width);
  let baseline = yFromTop(ADDRESS_WINDOW.top + WINDOW_PADDING_MM) - ret.size;
  page.drawText(ret.text, { x: left, y: baseline, size: ret.size, font: fonts.regular });
  baseline -= 2 * MM + size;
  for (const l of lines) {
    page.drawText(l.text, { x: left, y: baseline, size, font: fonts.regular });
    baseline -= size * 1.2;
  }
}

/** Sender name at the top, and the reference block beside the window (date, case, customer, org nr). */
function drawFirstPageHeader(page: PDFPage, fonts: Fonts, d: MergeData): void {
  const senderWidth = x(BODY.right - BODY.left);
  const name = fit(printable(d.creditor.name, fonts.bold), fonts.bold, SIZE.sender, 8, senderWidth);
  page.drawText(name.text, { x: x(BODY.left), y: yFromTop(24), size: name.size, font: fonts.bold });
  const rows: [string, string][] = [
    ['Dato', formatDate(d.letterDate)],
    ['Saksnr.', d.caseNumber],
    ...(d.customerNumber ? [['Kundenr.', d.customerNumber] as [string, string]] : []),
    ['Org.nr.', formatOrgNumber(d.creditor.orgNumber)],
  ];
  let baseline = yFromTop(ADDRESS_WINDOW.top + WINDOW_PADDING_MM) - SIZE.reference;
  for (const [label, value] of rows) {
    page.drawText(label, { x: x(125), y: baseline, size: SIZE.reference, font: fonts.regular, color: GREY });
    const v = fit(printable(value, fonts.regular), fonts.regular, SIZE.reference, 6, x(BODY.right - 145));
    page.drawText(v.text, { x: x(145), y: baseline, size: v.size, font: fonts.regular });
    baseline -= SIZE.reference * 1.5;
  }
}

function drawFooters(pages: PDFPage[], fonts: Fonts, d: MergeData): void {
  const c = d.creditor;
  const contact = [c.phone && `Tlf. ${c.phone}`, c.email].filter(Boolean).join(' · ');
  const details = [
    c.name,
    `Org.nr. ${formatOrgNumber(c.orgNumber)}`,
    [...c.address.lines, `${c.address.postalCode} ${c.address.city}`].join(', '),
    contact,
  ]
    .filter(Boolean)
    .join(' · ');
  const y = yFromTop(FOOTER_BASELINE_MM);
  pages.forEach((page, i) => {
    const number = `Side ${i + 1} av ${pages.length}`;
    const numberWidth = fonts.regular.widthOfTextAtSize(number, SIZE.footer);
    page.drawText(number, { x: x(BODY.right) - numberWidth, y, size: SIZE.footer, font: fonts.regular });
    const room = x(BODY.right) - x(BODY.left) - numberWidth - 5 * MM;
    const left = fit(printable(details, fonts.regular), fonts.regular, SIZE.footer, 5, room);
    page.drawText(left.text, { x: x(BODY.left), y, size: left.size, font: fonts.regular, color: GREY });
  });
}

/** Renders validated merge data with a template. Same input, same bytes (dates come from the letter date). */
export async function renderLetter(
  template: TemplateDefinition,
  data: MergeData,
  recipient: Recipient,
): Promise<{ pdf: Uint8Array; pages: number; sheets: number }> {
  const doc = await PDFDocument.create({ updateMetadata: false });
  const date = new Date(`${data.letterDate}T00:00:00Z`);
  doc.setTitle(`${template.title} – sak ${data.caseNumber}`);
  doc.setAuthor(data.creditor.name);
  doc.setCreator('postgang');
  doc.setProducer('postgang (pdf-lib)');
  doc.setLanguage('nb-NO');
  doc.setCreationDate(date);
  doc.setModificationDate(date);
  const fonts: Fonts = {
    regular: await doc.embedFont(StandardFonts.Helvetica),
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
  };
  const writer = new BodyWriter(
    doc,
    fonts,
    printable(`${template.title} – saksnr. ${data.caseNumber} (fortsettelse)`, fonts.regular),
  );
  drawFirstPageHeader(writer.firstPage, fonts, data);
  drawWindow(writer.firstPage, fonts, data, recipient);
  for (const block of [{ kind: 'heading', text: template.title } as const, ...template.body(data)]) {
    writeBlock(writer, fonts, data, block);
  }
  const pages = writer.pages.length;
  if (pages > MAX_PRINT_PAGES) {
    throw new TemplateError(
      'TOO_MANY_PAGES',
      `the letter needs ${pages} pages; print allows ${MAX_PRINT_PAGES}`,
    );
  }
  drawFooters(writer.pages, fonts, data);
  const pdf = await doc.save({ useObjectStreams: false });
  return { pdf, pages, sheets: sheetsFor(pages) };
}
