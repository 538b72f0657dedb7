// Query and answer shapes of the letter lists: the search (GET /v1/letters), the queue and the failure list.
import { z } from 'zod';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { boundedInt, text } from './edge';
import { cursorParamSchema, nextCursorSchema } from './cursor';
import {
  calendarDateSchema,
  caseIdSchema,
  externalIdSchema,
  failureSchema,
  letterStatusSchema,
  letterSummarySchema,
} from './letters-schemas';

extendZodWithOpenApi(z);

const STATUSES = letterStatusSchema.options;

/** One status, several comma-separated (`status=QUEUED,WAITING`) or the parameter repeated. */
const statusFilter = z
  .preprocess(
    (v) => (typeof v === 'string' ? v.split(',') : v),
    z.array(letterStatusSchema).min(1).max(STATUSES.length),
  )
  .openapi({
    type: 'array',
    items: { type: 'string', enum: [...STATUSES] },
    minItems: 1,
    maxItems: STATUSES.length,
    description: 'One or several statuses (repeat the parameter, or separate with commas)',
  });

const createdFrom = calendarDateSchema.openapi({
  description: 'Created on or after this day (Oslo time)',
});
const createdTo = calendarDateSchema.openapi({
  description: 'Created on or before this day (Oslo time), the whole day included',
});

const filters = {
  caseId: caseIdSchema.optional(),
  templateCode: text({ max: 100 }).optional(),
  createdFrom: createdFrom.optional(),
  createdTo: createdTo.optional(),
  cursor: cursorParamSchema.optional(),
};

const datesInOrder = (q: { createdFrom?: string; createdTo?: string }) =>
  !q.createdFrom || !q.createdTo || q.createdFrom <= q.createdTo;
const datesMessage = { message: '`createdFrom` must not be after `createdTo`', path: ['createdFrom'] };

/** GET /v1/letters: newest first (created_at, then id, descending). */
export const searchLettersQuerySchema = z
  .object({
    ...filters,
    status: statusFilter.optional(),
    runId: z.uuid({ message: 'expected a run id (uuid)' }).optional(),
    /** The case system's own reference (POST /v1/letters `externalId`): at most one letter. */
    externalId: externalIdSchema.optional(),
    limit: boundedInt({ min: 1, max: 500 }).default(50),
  })
  .strict()
  .refine(datesInOrder, datesMessage);

/** The queue and the failure list: the same filters, with cursor or (as before) offset paging. */
export const letterListQuerySchema = z
  .object({
    ...filters,
    limit: boundedInt({ min: 1, max: 1000 }).default(100),
    offset: boundedInt({ min: 0, max: 1_000_000 }).optional(),
  })
  .strict()
  .refine(datesInOrder, datesMessage)
  .refine((q) => q.cursor === undefined || q.offset === undefined, {
    message: 'use either `cursor` or `offset`, not both',
    path: ['offset'],
  });

export const letterPageSchema = z.object({
  items: z.array(letterSummarySchema),
  nextCursor: nextCursorSchema,
});

export const queuePageSchema = z.object({
  letters: z.array(letterSummarySchema),
  nextCursor: nextCursorSchema,
});

export const failurePageSchema = z.object({
  letters: z.array(failureSchema),
  nextCursor: nextCursorSchema,
});
