// Request and response shapes of the outbound API: validate at run time and generate the OpenAPI document.
import { z } from 'zod';
import { isValidNationalId } from '../domain/national-id';

const postalCode = z.string().regex(/^\d{4}$/, 'expected a four-digit Norwegian postal code');

/** As case systems know it: possibly incomplete (then the letter can go only to a Digipost mailbox). */
export const recipientAddressSchema = z
  .object({
    lines: z.array(z.string().trim().min(1).max(100)).max(3).default([]),
    postalCode: postalCode.optional(),
    city: z.string().trim().min(1).max(80).optional(),
  })
  .strict();

/** A corrected address must be complete: it is for print. */
export const completeAddressSchema = z
  .object({
    lines: z.array(z.string().trim().min(1).max(100)).min(1, 'at least one address line').max(3),
    postalCode,
    city: z.string().trim().min(1).max(80),
  })
  .strict();

export const createLetterSchema = z
  .object({
    caseId: z.string().trim().min(1).max(100),
    templateCode: z.string().trim().min(1).max(100),
    recipient: z
      .object({
        nationalId: z
          .string()
          .refine(
            isValidNationalId,
            'expected an 11-digit national id (fødselsnummer) with valid control digits',
          ),
        name: z.string().trim().min(1).max(100),
        address: recipientAddressSchema,
      })
      .strict(),
    /** The template's merge data; validated against the template's own schema. */
    mergeData: z.record(z.string(), z.unknown()).default({}),
  })
  .strict();

export type CreateLetter = z.infer<typeof createLetterSchema>;

export const correctionSchema = z
  .object({
    name: z.string().trim().min(1).max(100).optional(),
    address: completeAddressSchema,
  })
  .strict();

export const costsQuerySchema = z
  .object({
    from: z.iso.date({ message: 'expected a date (YYYY-MM-DD)' }),
    to: z.iso.date({ message: 'expected a date (YYYY-MM-DD)' }),
  })
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });

export const listQuerySchema = z
  .object({
    limit: z.coerce.number().int().min(1).max(1000).default(100),
    offset: z.coerce.number().int().min(0).default(0),
  })
  .strict();

const status = z.enum([
  'QUEUED',
  'WAITING',
  'SENT_DIGITAL',
  'SENT_PRINT',
  'NOT_SENT',
  'DELETED',
  'SELF_SEND',
]);

export const letterSummarySchema = z.object({
  id: z.string().uuid(),
  caseId: z.string(),
  templateCode: z.string(),
  status,
  statusText: z.string(),
  channel: z.string().nullable(),
  version: z.number().int(),
  runId: z.string().uuid().nullable(),
  recipientName: z.string(),
  workflowId: z.string(),
  updatedAt: z.string(),
});

export const letterDetailSchema = letterSummarySchema.extend({
  failure: z.object({ code: z.string().nullable(), reason: z.string().nullable() }).nullable(),
  closed: z.boolean(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      pages: z.number().int(),
      sha256: z.string(),
      createdAt: z.string(),
      pdf: z.string(),
    }),
  ),
  history: z.array(
    z.object({ status: z.string(), cause: z.string(), version: z.number().int(), at: z.string() }),
  ),
});

export const failureSchema = letterSummarySchema.extend({
  failure: z.object({ code: z.string().nullable(), reason: z.string().nullable() }),
  closed: z.boolean(),
  address: z.object({
    lines: z.array(z.string()),
    postalCode: z.string().optional(),
    city: z.string().optional(),
  }),
});

export const runSchema = z.object({
  id: z.string().uuid(),
  status: z.string(),
  batchStatus: z.string().nullable(),
  createdAt: z.string(),
  committedAt: z.string().nullable(),
  doneAt: z.string().nullable(),
  workflowId: z.string(),
  counts: z.object({
    total: z.number().int(),
    waiting: z.number().int(),
    sentDigital: z.number().int(),
    sentPrint: z.number().int(),
    notSent: z.number().int(),
  }),
});

export const costsSchema = z.object({
  from: z.string(),
  to: z.string(),
  currency: z.literal('NOK'),
  channels: z.array(
    z.object({
      channel: z.string(),
      letters: z.number().int(),
      sheets: z.number().int(),
      postage: z.number(),
    }),
  ),
  adminFee: z.object({ letters: z.number().int(), amount: z.number() }),
  total: z.number(),
});
