// The audit log's request and answer (GET /v1/audit), and its place in the OpenAPI document.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { AUDIT_ACTIONS } from '../domain/audit-actions';
import { boundedInt } from './edge';

export const auditQuerySchema = z.object({
  limit: boundedInt({ min: 1, max: 500 }).default(100),
  /** The id of the last entry of the previous page: older entries only. */
  before: boundedInt({ min: 1, max: Number.MAX_SAFE_INTEGER }).optional(),
});

export const actorSchema = z.object({
  kind: z.enum(['operator', 'api_key']),
  /** The operator's user name, or the API key's label. */
  name: z.string(),
});

export const auditEntrySchema = z.object({
  id: z.number().int(),
  at: z.string(),
  actor: actorSchema,
  action: z.enum(AUDIT_ACTIONS),
  /** The Norwegian words of the action. */
  actionText: z.string(),
  subjectId: z.string(),
  detail: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).nullable(),
});

export const auditListSchema = z.object({
  entries: z.array(auditEntrySchema),
  /** Pass as `before` for the next (older) page; null when this page is the last. */
  nextBefore: z.number().int().nullable(),
});

export function registerAuditPaths(
  registry: OpenAPIRegistry,
  { secured, errorSchema }: { secured: Record<string, string[]>[]; errorSchema: z.ZodType },
): void {
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  registry.registerPath({
    method: 'get',
    path: '/v1/audit',
    summary:
      'The tenant’s audit log, newest first: each operator action (delete, run, correction, triage, rule change) with the operator’s user name or the API key’s label',
    security: secured,
    request: { query: auditQuerySchema },
    responses: {
      200: { description: 'The entries', ...json(auditListSchema) },
      400: { description: 'Invalid request; the message names the field', ...json(errorSchema) },
      401: { description: 'Missing or unknown API key', ...json(errorSchema) },
    },
  });
}
