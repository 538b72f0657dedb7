// Request and response shapes of the outbound API: validate at run time and generate the OpenAPI document.
import { z } from 'zod';
import { isValidNationalId } from '../domain/national-id';
import { isValidOrgNumber } from '../domain/org-number';
import { attachmentInfoSchema, attachmentsSchema } from './attachments-schema';
import { LETTER_STATUSES } from '../domain/letter-status';
import { RUN_STATUSES } from '../domain/run-status';
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

/** A case system's reference for a letter (column letters.external_id). */
export const externalIdSchema = text({ max: 200 });

export const createLetterSchema = z
  .object({
    caseId: caseIdSchema,
    templateCode: text({ max: 100 }),
    /** A person (`nationalId`) or an organisation (`orgNumber`): exactly one of the two. */
    recipient: z
      .object({
        nationalId: z
          .string()
          .regex(/^\d{11}$/, 'expected an 11-digit national id (fødselsnummer)')
          .refine(
            isValidNationalId,
            'expected an 11-digit national id (fødselsnummer) with valid control digits',
          )
          .optional()
          .openapi({ description: 'A person: fødselsnummer or D-number. Give this or `orgNumber`.' }),
        orgNumber: z
          .string()
          .regex(/^\d{9}$/, 'expected a 9-digit organisation number (organisasjonsnummer)')
          .refine(isValidOrgNumber, 'expected a 9-digit organisation number with a valid control digit')
          .optional()
          .openapi({
            description:
              'An organisation: organisasjonsnummer (MOD11). Sent to its Digipost mailbox, else printed to `address`. Give this or `nationalId`.',
          }),
        name: personName,
        address: recipientAddressSchema,
      })
      .strict()
      .superRefine((r, ctx) => {
        if (r.nationalId !== undefined && r.orgNumber !== undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['orgNumber'],
            message: 'give either nationalId (a person) or orgNumber (an organisation), not both',
          });
        else if (r.nationalId === undefined && r.orgNumber === undefined)
          ctx.addIssue({
            code: 'custom',
            path: ['nationalId'],
            message: 'required: nationalId (a person) or orgNumber (an organisation)',
          });
      }),
    /** PDF attachments, sent with the letter as one Digipost message (documents/attachments.ts checks them). */
    attachments: attachmentsSchema.default([]),
    /** The template's merge data; validated against the template's own schema. */
    mergeData: z.record(z.string(), z.unknown()).default({}),
    /** The case system's own reference: optional, unique per tenant (a second letter with it is 409). */
    externalId: externalIdSchema.optional(),
    /** The case flow (GET /v1/case-flows) the letter is sent as; only `*` flows go to Digipost. */
    caseFlow: text({ max: 100 }).optional(),
    /** Its 1-based step in `caseFlow`; the template must be that step's. */
    step: boundedInt({ min: 1, max: 100 }).optional(),
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
export const calendarDateSchema = date;

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
export const letterStatusSchema = z.enum(LETTER_STATUSES);

export const letterSummarySchema = z.object({
  id: z.string().uuid(),
  caseId: z.string(),
  templateCode: z.string(),
  status: letterStatusSchema,
  statusText: z.string(),
  channel: z.string().nullable(),
  version: z.number().int(),
  runId: z.string().uuid().nullable(),
  recipientName: z.string(),
  externalId: z.string().nullable(),
  workflowId: z.string(),
  caseFlow: z.string().nullable(),
  step: z.number().int().nullable(),
  createdAt: z.string(),
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
      attachments: z.array(attachmentInfoSchema),
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
  status: z.enum(RUN_STATUSES),
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

/** GET /v1/runs/{id}: the run with its history, one entry per status change (oldest first). */
export const runDetailSchema = runSchema.extend({
  history: z.array(z.object({ status: z.enum(RUN_STATUSES), cause: z.string(), at: z.string() })),
});

/** GET /v1/cases/{caseId}/letters: each letter with its versions, each version with its run and history. */
export const caseLetterSchema = letterSummarySchema.extend({
  failure: letterFailureSchema.nullable(),
  versions: z.array(
    z.object({
      version: z.number().int(),
      createdAt: z.string(),
      runId: z.string().uuid().nullable().openapi({ description: 'The run that sent this version' }),
      pdf: z.string(),
      attachments: z.array(z.object({}).passthrough()),
      history: z.array(
        z.object({
          status: letterStatusSchema,
          statusText: z.string(),
          cause: z.string(),
          reasonText: z
            .string()
            .nullable()
            .openapi({ description: 'Why not sent (Ikke sendt), in Norwegian' }),
          at: z.string(),
        }),
      ),
    }),
  ),
});

/** GET /v1/runs/{id}/letters: the versions the run sent, what became of each, and the letter as it is now. */
export const runLettersSchema = z.object({
  run: runSchema,
  letters: z.array(
    z.object({
      id: z.string().uuid(),
      caseId: z.string(),
      templateCode: z.string(),
      recipientName: z.string(),
      version: z.number().int().openapi({ description: 'The version this run sent' }),
      status: letterStatusSchema.openapi({
        description: 'What became of that version (counted in run.counts)',
      }),
      statusText: z.string(),
      reasonText: z
        .string()
        .nullable()
        .openapi({ description: 'Why that version was not sent, in Norwegian' }),
      currentVersion: z.number().int(),
      currentStatus: letterStatusSchema,
      currentStatusText: z.string(),
      pdf: z.string().openapi({ description: 'The sent version’s PDF' }),
    }),
  ),
});
