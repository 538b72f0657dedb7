// Attachments of a letter as case systems send them: PDFs, base64 in the JSON body, each with a title (the
// Digipost document's subject). What the bytes are (a PDF, its pages, A4) is checked by
// documents/attachments.ts once the shape is right.
import { z } from 'zod';
import { boundedInt, text } from './edge';
import { MAX_PRINT_PAGES } from '../documents/page-layout';

/** At most this many attachments per letter (Digipost itself allows far more, digipost-api.md §4.2). */
export const MAX_ATTACHMENTS = 10;
/** Per attachment, decoded. */
export const MAX_ATTACHMENT_BYTES = 4 * 1024 * 1024;
/** All attachments of a letter together, decoded. */
export const MAX_ATTACHMENTS_TOTAL_BYTES = 10 * 1024 * 1024;
/** The JSON body limit of POST /v1/letters: room for the attachments in base64 and the rest of the letter. */
export const LETTER_BODY_LIMIT = `${Math.ceil((MAX_ATTACHMENTS_TOTAL_BYTES * 4) / 3 / (1024 * 1024)) + 2}mb`;

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const maxBase64 = (bytes: number) => Math.ceil(bytes / 3) * 4;

export const attachmentSchema = z
  .object({
    /** Shown in the recipient's mailbox; Digipost refuses a blank subject and allows 255 characters. */
    title: text({ max: 255 }),
    /** The PDF, base64 (RFC 4648, with padding, no line breaks). */
    content: z
      .string()
      .min(1, 'expected the PDF, base64-encoded')
      .max(maxBase64(MAX_ATTACHMENT_BYTES), `at most ${MAX_ATTACHMENT_BYTES} bytes decoded`)
      .regex(BASE64, 'expected base64 (RFC 4648, with padding, no line breaks)'),
  })
  .strict();

export const attachmentsSchema = z
  .array(attachmentSchema)
  .max(MAX_ATTACHMENTS, `at most ${MAX_ATTACHMENTS} attachments`)
  .superRefine((list, ctx) => {
    const total = list.reduce((s, a) => s + Math.floor((a.content.length * 3) / 4), 0);
    if (total > MAX_ATTACHMENTS_TOTAL_BYTES)
      ctx.addIssue({
        code: 'custom',
        message: `the attachments together exceed ${MAX_ATTACHMENTS_TOTAL_BYTES} bytes`,
      });
  })
  .openapi({
    description: `PDF attachments sent with the letter in one Digipost message: at most ${MAX_ATTACHMENTS}, ${MAX_ATTACHMENT_BYTES} bytes each and ${MAX_ATTACHMENTS_TOTAL_BYTES} together (decoded), every page A4, at most ${MAX_PRINT_PAGES} pages each.`,
  });

/** An attachment's index in a path (`…/attachments/{position}/pdf`), 0-based as in the request. */
export const attachmentPositionSchema = boundedInt({ min: 0, max: MAX_ATTACHMENTS - 1 });

/** An attachment as the API shows it with a document version. */
export const attachmentInfoSchema = z.object({
  position: z.number().int(),
  title: z.string(),
  pages: z.number().int(),
  pdf: z.string(),
});
