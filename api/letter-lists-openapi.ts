// The letter lists in the OpenAPI document (search, queue, failure list), from the zod schemas that validate them.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import {
  failurePageSchema,
  letterListQuerySchema,
  letterPageSchema,
  queuePageSchema,
  searchLettersQuerySchema,
} from './letter-lists-schemas';

export function registerLetterListPaths(
  registry: OpenAPIRegistry,
  { secured, errorSchema }: { secured: Record<string, string[]>[]; errorSchema: z.ZodType },
): void {
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const error = (description: string) => ({ description, ...json(errorSchema) });
  const list = (path: string, summary: string, query: z.ZodType, page: z.ZodType) =>
    registry.registerPath({
      method: 'get',
      path,
      summary,
      security: secured,
      request: { query: query as never },
      responses: {
        200: { description: 'One page; `nextCursor` is null on the last', ...json(page) },
        400: error('Invalid filter, date, limit or cursor; the message names it'),
        401: error('Missing or unknown API key'),
      },
    });
  list(
    '/v1/letters',
    'Search letters, newest first (by creation time, then id, descending); page with `cursor` = `nextCursor`',
    searchLettersQuerySchema,
    letterPageSchema,
  );
  list(
    '/v1/queue',
    'Letters queued for the next run, oldest first; page with `cursor` (or, as before, `offset`)',
    letterListQuerySchema,
    queuePageSchema,
  );
  list(
    '/v1/failures',
    'The failure list, newest first: letters not sent, with the reason in words and the address to correct; page with `cursor` (or `offset`)',
    letterListQuerySchema,
    failurePageSchema,
  );
}
