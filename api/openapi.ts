// The OpenAPI document, generated from the same zod schemas that validate requests at run time.
import { OpenAPIRegistry, OpenApiGeneratorV3, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  correctionSchema,
  createLetterSchema,
  letterDetailSchema,
  listQuerySchema,
  runSchema,
  runDetailSchema,
  runLettersSchema,
  caseLetterSchema,
  caseIdSchema,
  versionParamSchema,
} from './letters-schemas';
import { registerInboundPaths } from './inbound-openapi';
import { attachmentPositionSchema, LETTER_BODY_LIMIT } from './attachments-schema';
import {
  BULK_BODY_LIMIT,
  BULK_MAX_LETTERS,
  bulkRequestSchema,
  bulkResultSchema,
} from './letters-bulk-schemas';
import { registerLetterListPaths } from './letter-lists-openapi';
import { registerCataloguePaths } from './catalogue-openapi';
import { registerPricingPaths } from './pricing-openapi';
import { registerAuditPaths } from './audit-schemas';
import { createWebhookSchema, createdWebhookSchema, webhookSchema } from './webhooks-schemas';
import { codecRequestSchema } from './routes/codec';
import { documentIdempotency } from './idempotency';

extendZodWithOpenApi(z);

const errorSchema = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .array(
          z.object({
            field: z.string(),
            in: z.enum(['body', 'query', 'path', 'header', 'cookie']).optional(),
            problem: z.string(),
          }),
        )
        .optional(),
      existingId: z
        .string()
        .uuid()
        .optional()
        .openapi({ description: 'EXTERNAL_ID_EXISTS: the letter that already has this externalId' }),
    }),
  })
  .openapi('Error');

type Doc = ReturnType<OpenApiGeneratorV3['generateDocument']>;

/**
 * Answers every operation can give, whatever its own list says: 400 (a value that cannot be stored, bad
 * percent-encoding, malformed JSON), 401 where an API key is required, 500 (an internal error, its details
 * only in the log).
 */
function addCommonAnswers(doc: Doc): Doc {
  const error = (description: string) => ({
    description,
    content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } },
  });
  for (const ops of Object.values(doc.paths ?? {}))
    for (const [method, op] of Object.entries(ops as Record<string, Record<string, unknown>>)) {
      if (!['get', 'post', 'put', 'patch', 'delete'].includes(method)) continue;
      const responses = op.responses as Record<string, unknown>;
      responses['400'] ??= error('Invalid request; the message and details name the field');
      if (op.security) responses['401'] ??= error('Missing or unknown API key');
      responses['500'] ??= error('Internal error (its details are only in the server log)');
    }
  return doc;
}

export function openApiDocument({ namespace = 'default' }: { namespace?: string } = {}): Doc {
  const registry = new OpenAPIRegistry();
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const apiKey = registry.registerComponent('securitySchemes', 'apiKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'The tenant’s API key; every /v1 route sees only that tenant’s data',
  });
  const secured = [{ [apiKey.name]: [] }];
  const unauthorized = { description: 'Missing or unknown API key', ...json(errorSchema) };
  registry.registerPath({
    method: 'post',
    path: '/v1/letters',
    summary: 'Start a letter: produce, send through Digipost (print fallback), track its status',
    security: secured,
    request: { body: { required: true, ...json(createLetterSchema) } },
    responses: {
      202: {
        description: 'Accepted; the letter workflow `letter-{id}` has started',
        headers: { Location: { schema: { type: 'string' } } },
        ...json(z.object({ id: z.string().uuid(), status: z.string() })),
      },
      400: { description: 'Invalid request; the message names the field', ...json(errorSchema) },
      401: unauthorized,
      409: {
        description:
          'The tenant has no active Digipost agreement and the letter would go to Digipost (NO_DIGIPOST_AGREEMENT), or another letter of the tenant has this externalId (EXTERNAL_ID_EXISTS, with `existingId`)',
        ...json(errorSchema),
      },
      413: { description: `Body over ${LETTER_BODY_LIMIT}`, ...json(errorSchema) },
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/letters/bulk',
    summary: `Start up to ${BULK_MAX_LETTERS} letters at once: each item is checked like POST /v1/letters and answered on its own, in the order sent`,
    security: secured,
    request: { body: { required: true, ...json(bulkRequestSchema) } },
    responses: {
      200: {
        description:
          'Every letter accepted and stored; each workflow `letter-{id}` starts right after the answer',
        ...json(bulkResultSchema),
      },
      207: {
        description:
          'Some letters refused: each refused item has its error (code, message, the field relative to the item, `existingId` for EXTERNAL_ID_EXISTS); the others are accepted',
        ...json(bulkResultSchema),
      },
      400: {
        description: `Not an object \`{ letters: [...] }\` with 1 to ${BULK_MAX_LETTERS} items; the message names the field`,
        ...json(errorSchema),
      },
      401: unauthorized,
      413: {
        description: `Body over ${BULK_BODY_LIMIT.toUpperCase().replace('MB', ' MB')}`,
        ...json(errorSchema),
      },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/letters/{id}',
    summary: 'A letter’s status and its history of transitions',
    security: secured,
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: {
      200: {
        description: 'The letter',
        ...json(letterDetailSchema),
      },
      404: { description: 'Unknown letter (or another tenant’s)', ...json(errorSchema) },
    },
  });
  const uuidParam = (name: string) => z.object({ [name]: z.string().uuid() });
  const simple = (
    method: 'get' | 'post' | 'delete',
    path: string,
    summary: string,
    ok: { status: number; description: string; schema: z.ZodType },
    extra: Record<number, string> = {},
    request: Parameters<typeof registry.registerPath>[0]['request'] = undefined,
  ) =>
    registry.registerPath({
      method,
      path,
      summary,
      security: secured,
      ...(request ? { request } : {}),
      responses: {
        [ok.status]: { description: ok.description, ...json(ok.schema) },
        400: { description: 'Invalid request; the message names the field', ...json(errorSchema) },
        401: unauthorized,
        ...Object.fromEntries(
          Object.entries(extra).map(([k, d]) => [k, { description: d, ...json(errorSchema) }]),
        ),
      },
    });
  registry.registerPath({
    method: 'get',
    path: '/v1/letters/{id}/versions/{version}/pdf',
    summary: 'The PDF of one document version',
    security: secured,
    request: { params: z.object({ id: z.string().uuid(), version: versionParamSchema }) },
    responses: {
      200: {
        description: 'The PDF (Content-Disposition names it `{caseId}-{templateCode}-v{version}.pdf`)',
        content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      404: { description: 'Unknown letter (or another tenant’s) or version', ...json(errorSchema) },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/letters/{id}/versions/{version}/attachments/{position}/pdf',
    summary: 'The PDF of one attachment of a document version (position: its 0-based index in the request)',
    security: secured,
    request: {
      params: z.object({
        id: z.string().uuid(),
        version: versionParamSchema,
        position: attachmentPositionSchema,
      }),
    },
    responses: {
      200: {
        description: 'The PDF (Content-Disposition names it `{caseId}-v{version}-vedlegg-{position+1}.pdf`)',
        content: { 'application/pdf': { schema: z.string().openapi({ format: 'binary' }) } },
      },
      404: {
        description: 'Unknown letter (or another tenant’s), version or attachment',
        ...json(errorSchema),
      },
    },
  });
  simple(
    'delete',
    '/v1/letters/{id}',
    'Delete a queued letter before its run',
    {
      status: 200,
      description: 'Deleted',
      schema: z.object({ id: z.string(), status: z.literal('DELETED') }),
    },
    { 404: 'Unknown letter', 409: 'Not in the queue (already in a run, sent, …)' },
    { params: uuidParam('id') },
  );
  simple(
    'post',
    '/v1/letters/{id}/correction',
    'Correct the postal address of a letter not sent: a new version is produced and queued (or sent at once)',
    {
      status: 202,
      description: 'Accepted; the letter workflow produces the new version',
      schema: z.object({ id: z.string() }),
    },
    { 404: 'Unknown letter', 409: 'The letter is not in the failure list, or closed' },
    { params: uuidParam('id'), body: { required: true, ...json(correctionSchema) } },
  );
  registerLetterListPaths(registry, { secured, errorSchema });
  registerCataloguePaths(registry, { secured, errorSchema });
  simple(
    'get',
    '/v1/cases/{caseId}/letters',
    'The case page: every letter of a case with its status and versions, each version with its run and its history (reasons in Norwegian)',
    {
      status: 200,
      description: 'The case',
      schema: z.object({ caseId: z.string(), letters: z.array(caseLetterSchema) }),
    },
    {},
    { params: z.object({ caseId: caseIdSchema }) },
  );
  simple(
    'post',
    '/v1/runs',
    'Send the run: the letters queued now go to Digipost as one batch (workflow run-{id})',
    { status: 202, description: 'Accepted; Location is the run', schema: runSchema },
    { 409: 'No active Digipost agreement, or nothing queued' },
  );
  simple(
    'get',
    '/v1/runs',
    'Runs, newest first, with counts',
    { status: 200, description: 'Runs', schema: z.object({ runs: z.array(runSchema) }) },
    {},
    { query: listQuerySchema },
  );
  simple(
    'get',
    '/v1/runs/{id}',
    'One run with its counts and its history (each status change and its cause)',
    { status: 200, description: 'The run', schema: runDetailSchema },
    { 404: 'Unknown run' },
    { params: uuidParam('id') },
  );
  simple(
    'get',
    '/v1/runs/{id}/letters',
    'The run page: the letters the run sent, each with the version it sent and what became of it, and the letter now; in the order the run sent them (the letter’s creation, then its id), paged by limit/offset',
    { status: 200, description: 'The run and its letters', schema: runLettersSchema },
    { 404: 'Unknown run' },
    { params: uuidParam('id'), query: listQuerySchema },
  );
  registerPricingPaths(registry, { secured, errorSchema });
  registerInboundPaths(registry, { secured, errorSchema });
  registerAuditPaths(registry, { secured, errorSchema });
  registry.registerPath({
    method: 'post',
    path: '/v1/webhooks',
    summary:
      'Register a URL that receives every letter status change, signed (see README, "Webhooks"); the secret is shown once',
    security: secured,
    request: { body: { required: true, ...json(createWebhookSchema({ allowHttpLocalhost: false })) } },
    responses: {
      201: { description: 'Registered', ...json(createdWebhookSchema) },
      400: {
        description:
          'Invalid request (https required; in production only public destinations, also after resolving the name); the message names the field',
        ...json(errorSchema),
      },
      401: unauthorized,
      409: { description: 'The tenant has as many subscriptions as it may have', ...json(errorSchema) },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/webhooks',
    summary: 'The tenant’s webhook subscriptions (without secrets)',
    security: secured,
    responses: {
      200: { description: 'Subscriptions', ...json(z.object({ webhooks: z.array(webhookSchema) })) },
      401: unauthorized,
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/webhooks/{id}',
    summary: 'End a subscription; its undelivered events are dropped',
    security: secured,
    request: { params: z.object({ id: z.string().uuid() }) },
    responses: {
      204: { description: 'Ended' },
      401: unauthorized,
      404: { description: 'Unknown subscription (or another tenant’s)', ...json(errorSchema) },
    },
  });
  for (const direction of ['decode', 'encode'] as const)
    registry.registerPath({
      method: 'post',
      path: `/codec/${direction}`,
      summary: `Temporal Web UI remote codec: ${direction} payloads (allowed UI origins; bearer token when configured)`,
      request: {
        headers: z.object({
          'X-Namespace': z.enum([namespace]).optional().openapi({ description: 'Only this API’s namespace' }),
        }),
        body: { required: true, ...json(codecRequestSchema) },
      },
      responses: {
        200: { description: `The ${direction}d payloads`, ...json(codecRequestSchema) },
        400: {
          description: 'Malformed payloads, unknown key id, failed authentication or another namespace',
          ...json(errorSchema),
        },
        401: { description: 'Token configured but missing or wrong', ...json(errorSchema) },
        403: { description: 'Browser origin not allowed', ...json(errorSchema) },
      },
    });
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Liveness: the API process answers',
    responses: { 200: { description: 'Alive', ...json(z.object({ status: z.literal('ok') })) } },
  });
  const readiness = z.object({ status: z.string(), database: z.boolean(), temporal: z.boolean() });
  registry.registerPath({
    method: 'get',
    path: '/ready',
    summary: 'Readiness: Temporal and the database are reachable',
    responses: {
      200: { description: 'Both reachable', ...json(readiness) },
      503: { description: 'One is unreachable', ...json(readiness) },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/metrics',
    summary: 'Prometheus metrics: requests by route and status, letters by status, runs, inbound, webhooks',
    responses: {
      200: {
        description: 'Prometheus text format',
        content: { 'text/plain': { schema: z.string() } },
      },
    },
  });
  return documentIdempotency(
    addCommonAnswers(
      new OpenApiGeneratorV3(registry.definitions).generateDocument({
        openapi: '3.0.3',
        info: { title: 'postgang API', version: '0.1.0' },
      }),
    ),
  );
}
