// The data a case system sends to fill a debt-collection letter, validated with zod so that bad input is
// answered with field-level issues. Amounts are NOK numbers with at most two decimals; dates are ISO
// calendar dates ("2026-11-23").
import { z } from 'zod';
import { validateAccountNumber, validateKid, validateOrgNumber } from '../checksums';
import { daysBetween, formatNok, toOre } from '../norwegian-format';

const text = (max: number) => z.string().trim().min(1).max(max);
const isoDate = z.iso.date();

const nok = z
  .number()
  .finite()
  .min(0)
  .max(1_000_000_000)
  .refine((v) => Math.abs(v * 100 - Math.round(v * 100)) < 1e-6, 'an amount in NOK has at most two decimals');

/** Digits only, after removing the spaces and dots people write in account numbers and KIDs. */
const digitsWithSeparators = z
  .string()
  .trim()
  .overwrite((s) => s.replace(/[ .]/g, ''));

/** A Norwegian postal address, as Digipost's `norwegian-address` holds it: up to 3 lines, postal code, city. */
export const postalAddressSchema = z.object({
  lines: z.array(text(100)).max(3, 'at most 3 address lines'),
  postalCode: z.string().regex(/^\d{4}$/, 'a Norwegian postal code has 4 digits'),
  city: text(60),
});

/**
 * The recipient's address as the case system knows it. It may be incomplete (no postal code or city): such a
 * letter can still go to a Digipost mailbox, it just cannot be printed. What is there is printed in the window.
 */
export const windowAddressSchema = z.object({
  lines: z.array(text(100)).max(3, 'at most 3 address lines'),
  postalCode: z
    .string()
    .regex(/^\d{4}$/, 'a Norwegian postal code has 4 digits')
    .optional(),
  city: text(60).optional(),
});

/** Who the letter is addressed to; printed in the envelope window. */
export const recipientSchema = z.object({ name: text(100), address: windowAddressSchema });
export type Recipient = z.infer<typeof recipientSchema>;

/** More claim lines than this could not fit the 14 pages a C5 print letter may have (digipost-api.md §4.5). */
export const MAX_CLAIM_LINES = 200;

const claimLineSchema = z.object({
  description: text(100),
  invoiceNumber: text(20).optional(),
  originalDueDate: isoDate.optional(),
  amount: nok,
});

const baseSchema = z.object({
  /** The letter's date; deadlines are counted from it. */
  letterDate: isoDate,
  caseNumber: text(40),
  customerNumber: text(40).optional(),
  /** Who the money is owed to (or the collection agency acting for `principal`). */
  creditor: z.object({
    name: text(100),
    orgNumber: digitsWithSeparators.refine(
      validateOrgNumber,
      'not a valid organisation number (9 digits, MOD11)',
    ),
    address: postalAddressSchema,
    phone: text(30).optional(),
    email: z.email().optional(),
  }),
  /** The original creditor (oppdragsgiver) when `creditor` is a collection agency. */
  principal: z.object({ name: text(100) }).optional(),
  /** The debtor named in the letter. The postal address printed in the envelope window is the recipient's. */
  debtor: z.object({ name: text(100) }),
  claims: z.array(claimLineSchema).min(1).max(MAX_CLAIM_LINES),
  fees: z
    .array(z.object({ description: text(60), amount: nok }))
    .max(10)
    .default([]),
  /** Late-payment interest (forsinkelsesrente) accrued up to the letter date. */
  interest: z
    .object({ ratePercent: z.number().min(0).max(100).optional(), from: isoDate.optional(), amount: nok })
    .optional(),
  /** Payments already received, deducted from the total. */
  paid: nok.optional(),
  /** The amount to pay: claims + fees + interest − paid. Checked against the lines. */
  total: nok,
  dueDate: isoDate,
  kid: digitsWithSeparators.refine(
    validateKid,
    'not a valid KID (2–25 digits with a MOD10 or MOD11 check digit)',
  ),
  accountNumber: digitsWithSeparators.refine(
    validateAccountNumber,
    'not a valid Norwegian account number (11 digits, MOD11)',
  ),
  /** Dates earlier letters in the case were sent, cited in later ones. */
  previousNotices: z
    .object({ inkassovarsel: isoDate.optional(), betalingsoppfordring: isoDate.optional() })
    .optional(),
});

export type MergeData = z.output<typeof baseSchema>;

/** The sum the lines add up to, in øre. */
export function computedTotalOre(d: Pick<MergeData, 'claims' | 'fees' | 'interest' | 'paid'>): number {
  const sum = (xs: { amount: number }[]) => xs.reduce((acc, x) => acc + toOre(x.amount), 0);
  return sum(d.claims) + sum(d.fees) + toOre(d.interest?.amount ?? 0) - toOre(d.paid ?? 0);
}

/** Merge data every template accepts: the fields above, a total that matches its lines, a due date after the letter. */
export const mergeDataSchema = baseSchema.superRefine((d, ctx) => {
  const expected = computedTotalOre(d);
  if (expected !== toOre(d.total)) {
    ctx.addIssue({
      code: 'custom',
      path: ['total'],
      message: `total ${formatNok(toOre(d.total))} does not match the lines (${formatNok(expected)})`,
    });
  }
  if (daysBetween(d.letterDate, d.dueDate) < 0) {
    ctx.addIssue({ code: 'custom', path: ['dueDate'], message: 'the due date is before the letter date' });
  }
});

/**
 * Merge data for a statutory notice whose deadline must be at least `days` after the letter date (inkassoloven
 * §§ 9 and 10, tvangsfullbyrdelsesloven § 4-18 all give 14 days).
 */
export function withMinimumDeadline(days: number, law: string) {
  return mergeDataSchema.superRefine((d, ctx) => {
    if (daysBetween(d.letterDate, d.dueDate) < days) {
      ctx.addIssue({
        code: 'custom',
        path: ['dueDate'],
        message: `${law} requires a deadline of at least ${days} days after the letter date`,
      });
    }
  });
}
