// Request and response shapes of the outbound API: validate at run time and generate the OpenAPI document.
import { z } from 'zod';
import { isValidNationalId } from '../domain/national-id';
import { LETTER_STATUS, type LetterStatus } from '../domain/letter-status';
import { boundedInt, text } from './edge';

const postalCode = z.string().regex(/^\d{4}$/, 'expected a four-digit Norwegian postal code');
// The bounds the renderer prints (documents/templates/merge-data.ts): what is accepted here can be produced.
const addressLine = text({ max: 100 });
const city = text({ max: 60 });
const personName = text({ max: 100 });
/**
 * A case id as case systems send it (also a path parameter of the case page). It is a Temporal search attribute
 * (workflows/search-attributes.ts), shown in clear text: one that holds a national id is refused.
 */
export const caseIdSchema = text({ max: 100 }).refine(
  (s) => !(s.match(/\d{11,}/g) ?? []).some((run) => containsNationalId(run)),
  'must not contain a national identity number (the case id is not personal data)',
);

function containsNationalId(digits: string): boolean {
  for (let i = 0; i + 11 <= digits.length; i++) {
    const candidate = digits.slice(i, i + 11);
    if (hasBirthDate(candidate) && isValidNationalId(candidate)) return true;
  }
  return false;
}

/** A day (D-number: +40) and a month (test numbers: +40 or +80) that can begin a national id. */
function hasBirthDate(id: string): boolean {
  const day = Number(id.slice(0, 2)) % 40;
  const month = Number(id.slice(2, 4)) % 40;
  return day >= 1 && day <= 31 && month >= 1 && month <= 12;
}

/** Why a letter was not sent: the code, the reason with any detail, and the Norwegian text alone. */
const letterFailureSchema = z.object({
  code: z.string().nullable(),
  reason: z.string().nullable(),
  reasonText: z.string().nullable(),
});

/** As case systems know it: possibly incomplete (then the letter can go only to a Digipost mailbox). */
export const recipientAddressSchema = z
  .object({
    lines: z.array(addressLine).max(3).default([]),
    postalCode: postalCode.optional(),
    city: city.optional(),
  })
  .strict();

/** A corrected address must be complete: it is for print. */
export const completeAddressSchema = z
  .object({
    lines: z.array(addressLine).min(1, 'at least one address line').max(3),
    postalCode,
    city,
  })
  .strict();

/** A document version in a path (`…/versions/{version}/pdf`). */
export const versionParamSchema = boundedInt({ min: 1, max: 100_000 });

export const createLetterSchema = z
  .object({
    caseId: caseIdSchema,
    templateCode: text({ max: 100 }),
    recipient: z
      .object({
        nationalId: z
          .string()
          .regex(/^\d{11}$/, 'expected an 11-digit national id (fødselsnummer)')
          .refine(
            isValidNationalId,
            'expected an 11-digit national id (fødselsnummer) with valid control digits',
          ),
        name: personName,
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
    name: personName.optional(),
    address: completeAddressSchema,
  })
  .strict();

/** A calendar date in the years PostgreSQL and the ledger know (0001–9999). */
const date = z.iso
  .date({ message: 'expected a date (YYYY-MM-DD)' })
  .refine((d) => !d.startsWith('0000'), 'expected a year from 0001');

export const costsQuerySchema = z
  .object({ from: date, to: date })
  .strict()
  .refine((q) => q.from <= q.to, { message: '`from` must not be after `to`', path: ['from'] });

export const listQuerySchema = z
  .object({
    limit: boundedInt({ min: 1, max: 1000 }).default(100),
    offset: boundedInt({ min: 0, max: 1_000_000 }).default(0),
  })
  .strict();

/** What the API answers: the statuses users know, and RECEIVED while version 1 is being produced. */
const status = z.enum(['RECEIVED', ...(Object.keys(LETTER_STATUS) as LetterStatus[])]);

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
  failure: letterFailureSchema.nullable(),
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
  failure: letterFailureSchema,
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
