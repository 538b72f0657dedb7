// The OpenAPI document, generated from the same zod schemas that validate requests at run time.
import { OpenAPIRegistry, OpenApiGeneratorV3, extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { createLetterSchema } from './letters-schemas';
import { createWebhookSchema, createdWebhookSchema, webhookSchema } from './webhooks-schemas';
import { codecRequestSchema } from './routes/codec';

extendZodWithOpenApi(z);

const errorSchema = z.object({
  error: z.object({ code: z.string(), message: z.string(), details: z.unknown().optional() }),
});

export function openApiDocument(): ReturnType<OpenApiGeneratorV3['generateDocument']> {
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
      409: { description: 'The tenant has no active Digipost agreement', ...json(errorSchema) },
      413: { description: 'Body over 1 MB', ...json(errorSchema) },
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
        ...json(
          z.object({
            id: z.string(),
            caseId: z.string(),
            templateCode: z.string(),
            status: z.string(),
            channel: z.string().nullable(),
            workflowId: z.string(),
            history: z.array(z.object({ status: z.string(), cause: z.string(), at: z.string() })),
          }),
        ),
      },
      401: unauthorized,
      404: { description: 'Unknown letter (or another tenant’s)', ...json(errorSchema) },
    },
  });
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
        description: 'Invalid request (https required); the message names the field',
        ...json(errorSchema),
      },
      401: unauthorized,
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
        headers: z.object({ 'X-Namespace': z.string().optional() }),
        body: { required: true, ...json(codecRequestSchema) },
      },
      responses: {
        200: { description: `The ${direction}d payloads`, ...json(codecRequestSchema) },
        400: {
          description: 'Malformed payloads, unknown key id or failed authentication',
          ...json(errorSchema),
        },
        401: { description: 'Token configured but missing or wrong', ...json(errorSchema) },
        403: { description: 'Browser origin not allowed', ...json(errorSchema) },
      },
    });
  registry.registerPath({
    method: 'get',
    path: '/health',
    summary: 'Temporal and database reachability',
    responses: {
      200: {
        description: 'Both reachable',
        ...json(z.object({ status: z.string(), database: z.boolean(), temporal: z.boolean() })),
      },
      503: { description: 'One is unreachable' },
    },
  });
  return new OpenApiGeneratorV3(registry.definitions).generateDocument({
    openapi: '3.0.3',
    info: { title: 'postgang API', version: '0.1.0' },
  });
}
