import { z } from 'zod';
import { isValidNationalId } from '../domain/national-id';

export const postalAddressSchema = z.object({
  lines: z.array(z.string().trim().min(1).max(100)).min(1).max(3),
  postalCode: z.string().regex(/^\d{4}$/, 'expected a four-digit Norwegian postal code'),
  city: z.string().trim().min(1).max(80),
});

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
        name: z.string().trim().min(1).max(130),
        address: postalAddressSchema,
      })
      .strict(),
    mergeData: z.record(z.string(), z.union([z.string().max(1000), z.number()])).default({}),
  })
  .strict();

export type CreateLetter = z.infer<typeof createLetterSchema>;
