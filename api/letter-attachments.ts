// A letter's attachments at the edge: each decoded and checked as a PDF for print (documents/attachments.ts),
// refused with 400 naming `attachments.{index}.content` and what is wrong; then the rows stored with version 1.
import { createHash, randomUUID } from 'node:crypto';
import { checkAttachmentPdf } from '../documents/attachments';
import { MAX_PRINT_PAGES } from '../documents';
import { letterAttachments } from '../db/schema';
import { ApiError } from './errors';

export interface CheckedAttachment {
  title: string;
  bytes: Buffer;
  pages: number;
}

/** Checks every attachment; one 400 lists all that are wrong, by index. */
export async function checkAttachments(
  list: { title: string; content: string }[],
  field = 'attachments',
): Promise<CheckedAttachment[]> {
  const checked: CheckedAttachment[] = [];
  const details: { field: string; in: 'body'; problem: string }[] = [];
  for (const [i, a] of list.entries()) {
    const bytes = Buffer.from(a.content, 'base64');
    const r = await checkAttachmentPdf(bytes);
    if (!r.ok) details.push({ field: `${field}.${i}.content`, in: 'body', problem: r.problem });
    else if (r.pages > MAX_PRINT_PAGES)
      details.push({
        field: `${field}.${i}.content`,
        in: 'body',
        problem: `${r.pages} pages; print takes at most ${MAX_PRINT_PAGES} pages per document`,
      });
    else checked.push({ title: a.title, bytes, pages: r.pages });
  }
  if (details.length)
    throw new ApiError(
      400,
      'VALIDATION_FAILED',
      details.map((d) => `${d.field}: ${d.problem}`).join('; '),
      details,
    );
  return checked;
}

/** The rows of a letter's attachments in `version`, each under a fresh Digipost document uuid. */
export function attachmentRows(
  letterId: string,
  version: number,
  list: CheckedAttachment[],
): (typeof letterAttachments.$inferInsert)[] {
  return list.map((a, position) => ({
    letterId,
    version,
    position,
    documentUuid: randomUUID(),
    title: a.title,
    pdf: a.bytes.toString('base64'),
    sha256: createHash('sha256').update(a.bytes).digest('hex'),
    pages: a.pages,
  }));
}
