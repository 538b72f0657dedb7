// What the independent TG server does with every upload: it runs the bytes through a content parser and refuses
// a file that is not what its declared type says (archive-noark5.md §1.4 point 14). Here: PDFs, parsed with
// pdf-lib, must load and have at least one page; other types are stored as they come.
import { PDFDocument } from 'pdf-lib';

/** Why `content` cannot be read as `contentType` (the parser's words), or undefined when it can. */
export async function unreadableAs(contentType: string, content: Buffer): Promise<string | undefined> {
  if (contentType !== 'application/pdf') return undefined;
  try {
    const pdf = await PDFDocument.load(content, { ignoreEncryption: true, updateMetadata: false });
    if (pdf.getPageCount() === 0) return 'TIKA-198: Illegal IOException from PDFParser: the PDF has no pages';
    return undefined;
  } catch (e) {
    return `TIKA-198: Illegal IOException from org.apache.tika.parser.pdf.PDFParser: ${(e as Error).message}`;
  }
}
