// Reads a PDF back with pdf.js (an implementation independent of pdf-lib, which wrote it): page sizes, every
// text run with its box, and the bounding box of every path and image, in PDF points (origin bottom left).
import { createRequire } from 'node:module';
import path from 'node:path';
import { OPS, getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';

export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export interface InspectedPage {
  width: number;
  height: number;
  texts: { str: string; box: Rect }[];
  /** Stroked or filled paths and painted images. */
  drawings: Rect[];
}

const standardFontDataUrl = `${path.dirname(createRequire(import.meta.url).resolve('pdfjs-dist/package.json'))}/standard_fonts/`;

type Matrix = [number, number, number, number, number, number];

function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

function transformRect(m: Matrix, x0: number, y0: number, x1: number, y1: number): Rect {
  const pts = [
    [x0, y0],
    [x0, y1],
    [x1, y0],
    [x1, y1],
  ].map(([px, py]) => [m[0] * px! + m[2] * py! + m[4], m[1] * px! + m[3] * py! + m[5]] as const);
  const xs = pts.map((p) => p[0]);
  const ys = pts.map((p) => p[1]);
  return { x0: Math.min(...xs), y0: Math.min(...ys), x1: Math.max(...xs), y1: Math.max(...ys) };
}

export async function inspectPdf(bytes: Uint8Array): Promise<InspectedPage[]> {
  const doc = await getDocument({ data: new Uint8Array(bytes), standardFontDataUrl, verbosity: 0 }).promise;
  const pages: InspectedPage[] = [];
  for (let n = 1; n <= doc.numPages; n++) {
    const page = await doc.getPage(n);
    const [, , width, height] = page.view as [number, number, number, number];
    const texts: InspectedPage['texts'] = [];
    for (const item of (await page.getTextContent()).items) {
      if (!('str' in item) || item.str.trim() === '') continue;
      const [, , , , e, f] = item.transform as number[];
      // Baseline at f; Helvetica reaches about 0.75 em above it and 0.25 em below.
      texts.push({
        str: item.str,
        box: { x0: e!, y0: f! - 0.25 * item.height, x1: e! + item.width, y1: f! + 0.8 * item.height },
      });
    }
    const drawings: Rect[] = [];
    const ops = await page.getOperatorList();
    let ctm: Matrix = [1, 0, 0, 1, 0, 0];
    const stack: Matrix[] = [];
    ops.fnArray.forEach((fn, i) => {
      const args = ops.argsArray[i] as unknown[];
      if (fn === OPS.save) stack.push(ctm);
      else if (fn === OPS.restore) ctm = stack.pop() ?? [1, 0, 0, 1, 0, 0];
      else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
      else if (fn === OPS.constructPath) {
        const minMax = args[2] as ArrayLike<number> | null;
        if (minMax) drawings.push(transformRect(ctm, minMax[0]!, minMax[1]!, minMax[2]!, minMax[3]!));
      } else if (fn === OPS.paintImageXObject || fn === OPS.paintInlineImageXObject) {
        drawings.push(transformRect(ctm, 0, 0, 1, 1));
      }
    });
    pages.push({ width, height, texts, drawings });
  }
  await doc.destroy();
  return pages;
}

export function intersects(a: Rect, b: Rect): boolean {
  return a.x0 < b.x1 && b.x0 < a.x1 && a.y0 < b.y1 && b.y0 < a.y1;
}

export function inside(inner: Rect, outer: Rect): boolean {
  return inner.x0 >= outer.x0 && inner.x1 <= outer.x1 && inner.y0 >= outer.y0 && inner.y1 <= outer.y1;
}

/** The page's text in reading order, joined with spaces (for "contains" checks). */
export function pageText(page: InspectedPage): string {
  return page.texts.map((t) => t.str).join(' ');
}
