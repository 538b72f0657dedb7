// Request and response schemas of the inbound API (receiving systems, inbound items, triage): they validate
// at run time and generate the OpenAPI document.
import { createPrivateKey } from 'node:crypto';
import { z } from 'zod';
import { boundedInt, text } from './edge';
import { cursorParamSchema } from './cursor';
import { INBOUND_REASON_TEXT, type InboundFailureCode } from '../domain/reason-texts';
import { INBOUND_STATUSES } from '../domain/inbound-status';
import { actorSchema } from './audit-schemas';

const orgNumber = z.string().regex(/^\d{9}$/, 'expected a nine-digit organisation number');
const name = text({ max: 200 });

function isPrivateKeyPem(pem: string): boolean {
  try {
    return createPrivateKey(pem).asymmetricKeyType === 'rsa';
  } catch {
    return false;
  }
}

export const forwardDestinationSchema = z
  .object({
    id: z
      .string()
      .regex(
        /^[a-zA-Z0-9][a-zA-Z0-9._-]{0,62}$/,
        'expected letters, digits, dot, dash or underscore (max 63)',
      ),
    email: z.email(),
    name: name.optional(),
  })
  .strict();

export const triageRulesSchema = z
  .object({
    archiveIntoNamedCase: z.boolean().default(false),
    forward: z
      .array(
        z
          .object({
            senderOrgNumber: orgNumber.optional().openapi({
              description:
                "The organisation number of the item's svarSendesTil (the party a reply goes to; SvarUt's avsender carries no number)",
            }),
            forsendelseType: text({ max: 100 }).optional(),
            destination: text({ max: 63 }),
          })
          .strict()
          .refine((r) => r.senderOrgNumber !== undefined || r.forsendelseType !== undefined, {
            message: 'a forward rule needs senderOrgNumber or forsendelseType',
          }),
      )
      .default([]),
  })
  .strict();

const receivingSystemFields = {
  name,
  /** The SvarInn username (the mottakersystem id). */
  username: text({ max: 200 }),
  password: text({ max: 500, trim: false }),
  privateKeyPem: text({ max: 20_000, trim: false }).refine(
    isPrivateKeyPem,
    'expected an RSA private key in PEM',
  ),
  orgNumbers: z
    .array(orgNumber)
    .max(200)
    .refine((l) => new Set(l).size === l.length, 'organisation numbers must not repeat'),
  forwardDestinations: z
    .array(forwardDestinationSchema)
    .max(50)
    .refine((l) => new Set(l.map((d) => d.id)).size === l.length, 'destination ids must not repeat'),
  rules: triageRulesSchema,
  /** Gets a short daily digest of the flagged items (null: none). */
  digestEmail: z.email().max(254).nullable(),
};

export const createReceivingSystemSchema = z
  .object({
    ...receivingSystemFields,
    forwardDestinations: receivingSystemFields.forwardDestinations.default([]),
    rules: receivingSystemFields.rules.default({ archiveIntoNamedCase: false, forward: [] }),
    digestEmail: receivingSystemFields.digestEmail.default(null),
  })
  .strict();

export const updateReceivingSystemSchema = z
  .object({ ...receivingSystemFields, active: z.boolean() })
  .partial()
  .strict();

export const receivingSystemViewSchema = z.object({
  id: z.string().uuid(),
  name: z.string(),
  username: z.string(),
  orgNumbers: z.array(z.string()),
  forwardDestinations: z.array(forwardDestinationSchema),
  rules: triageRulesSchema,
  digestEmail: z.string().nullable(),
  active: z.boolean(),
  lastPolledAt: z.string().nullable(),
  lastPollError: z.string().nullable(),
  /** The service's own words about the last poll's failure (may be English), beside the Norwegian text. */
  lastPollErrorDetail: z.string().nullable(),
  pollerWorkflowId: z.string(),
});

export const listInboundQuerySchema = z
  .object({
    status: z.enum(INBOUND_STATUSES).optional(),
    orgNumber: orgNumber.optional(),
    /** The sender's organisation number, or part of its name. */
    sender: text({ max: 200 }).optional(),
    /** Only items received at least this many minutes ago (at most ten years). */
    olderThanMinutes: boundedInt({ min: 0, max: 10 * 366 * 24 * 60 }).optional(),
    /** Only items flagged for waiting too long in a status that is not final (or only those not flagged). */
    flagged: z.enum(['true', 'false']).optional(),
    limit: boundedInt({ min: 1, max: 500 }).default(100),
    cursor: cursorParamSchema.optional(),
  })
  .strict();

const caseText = text({ max: 200 });
export const triageSchema = z.discriminatedUnion('action', [
  z
    .object({
      action: z.literal('archive'),
      /** The case's number (mappeID, e.g. 2026/12); or caseId (its systemID); neither: a new case. */
      caseNumber: caseText.optional(),
      caseId: caseText.optional(),
      caseTitle: caseText.optional(),
    })
    .strict(),
  z.object({ action: z.literal('delete'), reason: text({ max: 1000 }) }).strict(),
  z.object({ action: z.literal('forward'), destination: text({ max: 63 }) }).strict(),
]);

const triageRecordSchema = z.object({
  action: z.enum(['archive', 'delete', 'forward']),
  by: z.enum(['rule', 'operator']),
  caseNumber: z.string().optional(),
  caseId: z.string().optional(),
  caseTitle: z.string().optional(),
  destination: z.string().optional(),
  reason: z.string().optional(),
  at: z.string(),
});

export const inboundSummarySchema = z.object({
  id: z.string().uuid(),
  forsendelseId: z.string(),
  receivingSystemId: z.string().uuid(),
  status: z.enum(INBOUND_STATUSES),
  title: z.string(),
  orgNumber: z.string().nullable(),
  sender: z.object({ name: z.string().nullable(), orgNumber: z.string().nullable() }),
  forsendelseType: z.string().nullable(),
  sentAt: z.string().nullable(),
  receivedAt: z.string(),
  /** It has waited too long where it is (any status that is not final); flagReason says where and why. */
  flagged: z.boolean(),
  flagReason: z.string().nullable(),
  /** What the intake noticed: no files, characters that could not be stored. */
  intakeNote: z.string().nullable(),
  statusChangedAt: z.string(),
  /** Why it failed: the Norwegian text, then the technical detail (the archive's or SvarInn's words). */
  failureReason: z.string().nullable(),
  /** The failure's code (domain/reason-texts.ts INBOUND_REASON_TEXT; UNKNOWN for an older reason). */
  failureCode: z
    .enum(Object.keys(INBOUND_REASON_TEXT) as [InboundFailureCode, ...InboundFailureCode[]])
    .nullable(),
  /** The failure in Norwegian only, for operators. */
  reasonText: z.string().nullable(),
  triage: triageRecordSchema.nullable(),
  /** A rule's decision that acts at `actsAt` unless an operator decides first. */
  pendingRule: z
    .object({
      action: z.enum(['archive', 'forward']),
      caseNumber: z.string().optional(),
      destination: z.string().optional(),
      actsAt: z.string(),
    })
    .nullable(),
  journalpostNumber: z.string().nullable(),
  archiveCaseNumber: z.string().nullable(),
  forwardedTo: z.string().nullable(),
  filesPurgedAt: z.string().nullable(),
  workflowId: z.string(),
});

export const inboundDetailSchema = inboundSummarySchema.extend({
  /** Who triaged it by hand (the operator's user name or the API key's label); null for a rule, or none yet. */
  triagedBy: actorSchema.nullable(),
  metadata: z.record(z.string(), z.unknown()),
  files: z.array(
    z.object({
      id: z.string().uuid(),
      filename: z.string(),
      mimeType: z.string(),
      size: z.number(),
      sha256: z.string(),
      purged: z.boolean(),
      href: z.string(),
    }),
  ),
  /**
   * One entry per status change, oldest first; where it failed, `reason` as stored (the Norwegian text and the
   * technical detail, as `failureReason`) and `reasonText` (the Norwegian text alone, as the item's).
   */
  history: z.array(
    z.object({
      status: z.enum(INBOUND_STATUSES),
      reason: z.string().nullable(),
      reasonText: z.string().nullable(),
      at: z.string(),
    }),
  ),
});
