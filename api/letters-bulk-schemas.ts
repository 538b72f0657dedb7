// POST /v1/letters/bulk: up to BULK_MAX_LETTERS letter requests, each checked on its own by the schema of
// POST /v1/letters (createLetterSchema), answered item by item in the order sent.
import { z } from 'zod';
import { createLetterSchema } from './letters-schemas';

export const BULK_MAX_LETTERS = 1000;
/** The body limit of the bulk route (a single letter's is 1 MB). */
export const BULK_BODY_LIMIT = '16mb';

/** The envelope; its items are checked one by one afterwards, so one bad letter does not refuse the others. */
export const bulkEnvelopeSchema = z
  .object({
    letters: z
      .array(z.unknown())
      .min(1, 'at least one letter')
      .max(BULK_MAX_LETTERS, `at most ${BULK_MAX_LETTERS} letters per request; send the rest in another`),
  })
  .strict();

/** The published request: the items are what POST /v1/letters takes. */
export const bulkRequestSchema = z
  .object({ letters: z.array(createLetterSchema).min(1).max(BULK_MAX_LETTERS) })
  .strict();

export const bulkItemResultSchema = z.union([
  z.object({
    index: z.number().int(),
    id: z.string().uuid(),
    status: z.literal('RECEIVED'),
    workflowId: z.string(),
  }),
  z.object({
    index: z.number().int(),
    error: z.object({
      code: z.string(),
      message: z.string(),
      /** The first field named, relative to the item (e.g. `recipient.nationalId`); null when none is. */
      field: z.string().nullable(),
      existingId: z.string().uuid().optional(),
    }),
  }),
]);

export const bulkResultSchema = z.object({
  accepted: z.number().int(),
  refused: z.number().int(),
  results: z.array(bulkItemResultSchema),
});
