// Price lists, costs by month and the run preview: the zod schemas that validate requests and describe answers.
import { z } from 'zod';
import { boundedInt } from './edge';
import { costsQuerySchema } from './letters-schemas';

/** A calendar date in the years PostgreSQL knows (0001–9999). */
const day = z.iso
  .date({ message: 'expected a date (YYYY-MM-DD)' })
  .refine((d) => !d.startsWith('0000'), 'expected a year from 0001');

const ore = (description: string) => boundedInt({ min: 0, max: 10_000_000 }).openapi({ description });

/** A price list in øre (1/100 NOK); the names of db/schema.ts PriceList. */
export const priceListSchema = z
  .object({
    digitalPerLetter: ore('A letter delivered digitally (øre)'),
    printPerLetter: ore('A printed letter, first sheet (øre)'),
    printPerExtraSheet: ore('Each further sheet of a printed letter (two pages a sheet) (øre)'),
    adminFeePerLetter: ore('The administration fee per sent measure (øre)'),
  })
  .strict();

export const putPricesSchema = z
  .object({
    validFrom: day.openapi({ description: 'First calendar day (Europe/Oslo) the list applies to' }),
    prices: priceListSchema,
  })
  .strict();

const datedListSchema = z.object({
  validFrom: z
    .string()
    .nullable()
    .openapi({ description: 'YYYY-MM-DD; null: the built-in list, in force before any dated list' }),
  prices: priceListSchema,
});

export const pricesSchema = z
  .object({
    currency: z.literal('NOK'),
    unit: z.literal('øre'),
    /** The list valid today. */
    current: datedListSchema,
    lists: z.array(datedListSchema),
  })
  .openapi('Prices');

const channelCostSchema = z.object({
  channel: z.string(),
  letters: z.number().int(),
  sheets: z.number().int(),
  postage: z.number(),
});

const periodCostSchema = z.object({
  channels: z.array(channelCostSchema),
  adminFee: z.object({ letters: z.number().int(), amount: z.number() }),
  credits: z
    .object({ letters: z.number().int(), amount: z.number() })
    .openapi({ description: 'Postage credited for prints that failed after sending (a negative amount)' }),
  total: z.number(),
});

/** GET /v1/costs: the period, each calendar month in it (Europe/Oslo), and the price lists the ledger applied. */
export const costsByMonthSchema = periodCostSchema
  .extend({
    from: z.string(),
    to: z.string(),
    currency: z.literal('NOK'),
    months: z.array(periodCostSchema.extend({ month: z.string().openapi({ example: '2026-03' }) })),
    pricesApplied: z.array(datedListSchema),
  })
  .openapi('Costs');

export const costsCsvQuerySchema = costsQuerySchema;

export const FORECASTS = ['DIGITAL', 'PRINT', 'NOT_REACHABLE'] as const;

export const previewSchema = z
  .object({
    generatedAt: z.string(),
    letters: z.array(
      z.object({
        id: z.string().uuid(),
        caseId: z.string(),
        forecast: z.enum(FORECASTS),
        /** Why not reachable (INCOMPLETE_ADDRESS, INVALID_RECIPIENT, …); null otherwise. */
        reasonCode: z.string().nullable(),
        reason: z.string().nullable().openapi({ description: 'The reason in Norwegian' }),
        sheets: z.number().int(),
        /** Postage and fee of this letter in NOK (0 when not reachable). */
        cost: z.number(),
      }),
    ),
    totals: z.object({
      letters: z.number().int(),
      digital: z.number().int(),
      print: z.number().int(),
      notReachable: z.number().int(),
    }),
    cost: z.object({
      currency: z.literal('NOK'),
      postage: z.number(),
      adminFee: z.number(),
      total: z.number(),
      priceList: datedListSchema,
    }),
    identification: z.object({
      asked: z.number().int().openapi({ description: 'Recipients identified at Digipost now' }),
      cached: z.number().int().openapi({ description: 'Recipients whose cached identification was reused' }),
    }),
  })
  .openapi('RunPreview');
