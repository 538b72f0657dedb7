// Where things may be printed on an A4 letter. Boxes are in millimetres from the page's top-left corner, the
// way Digipost's print rules and envelope makers measure; `toPdfRect` converts to PDF points (origin bottom left).

export const MM = 72 / 25.4;
export const A4 = { width: 210 * MM, height: 297 * MM };

export interface BoxMm {
  left: number;
  top: number;
  width: number;
  height: number;
}

/**
 * Digipost's print barcode zone: every page must leave (0 mm, 95 mm)–(15 mm, 175 mm) empty, or the letter is
 * refused with INSUFFICIENT_MARGIN_FOR_PRINT (digipost-api.md §4.5).
 */
export const BARCODE_ZONE: BoxMm = { left: 0, top: 95, width: 15, height: 80 };

/**
 * The window of a C5 window envelope (A4 folded once), as Norwegian envelope makers place it: 15 mm from the
 * left edge, 44 mm from the top, 105 × 35 mm. The window positions of E6/5 (40 mm), C6/5 (39 mm) and EC4
 * (42 mm) envelopes overlap it, so an address kept inside it with a few millimetres of play shows through all of
 * them. Digipost prints its own cover sheet for print letters; this window matters when the tenant prints and
 * envelopes a letter itself (unmarked templates).
 */
export const ADDRESS_WINDOW: BoxMm = { left: 15, top: 44, width: 105, height: 35 };

/** Play kept between the window's edge and the address, for paper sliding in the envelope. */
export const WINDOW_PADDING_MM = 4;

/** Nothing is printed closer than this to any edge (printers' unprintable border). */
export const PAGE_MARGIN_MM = 10;

/** The body text column. Its left edge clears the barcode zone by 10 mm. */
export const BODY = { left: 25, right: 190, firstPageTop: 92, continuationTop: 30, bottom: 272 };

/** Footer baseline (sender details and "Side x av y"). */
export const FOOTER_BASELINE_MM = 284;

/** A C5 envelope holds up to 7 sheets (14 pages, printed duplex); more needs C4, which is off by default. */
export const MAX_PRINT_PAGES = 14;

/** Digipost prints duplex: two pages on each sheet (a 20-page PDF is 10 sheets, digipost-api.md §11). */
export function sheetsFor(pages: number): number {
  return Math.ceil(pages / 2);
}

/** The box in PDF points: x, y of the bottom-left corner, width, height. */
export function toPdfRect(box: BoxMm): { x: number; y: number; width: number; height: number } {
  return {
    x: box.left * MM,
    y: A4.height - (box.top + box.height) * MM,
    width: box.width * MM,
    height: box.height * MM,
  };
}
