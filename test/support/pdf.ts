// Real, previewable PDFs for tests that send files where a PDF is declared (archives parse what they receive,
// archive-noark5.md §1.4 point 14). Each call gives different bytes: a random reference is printed on the page.
import { randomUUID } from 'node:crypto';
import { renderLetterPdf } from '../../documents/letter-pdf';

export async function samplePdf(title: string): Promise<Buffer> {
  return Buffer.from(
    await renderLetterPdf({
      title,
      addressLines: ['Eksempel Bygg AS', 'Postboks 1', '0101 Oslo'],
      fields: { Tittel: title, Referanse: randomUUID() },
    }),
  );
}
