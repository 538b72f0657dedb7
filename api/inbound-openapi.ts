// The inbound routes in the OpenAPI document, from the zod schemas that validate them.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import {
  createReceivingSystemSchema,
  inboundDetailSchema,
  inboundSummarySchema,
  listInboundQuerySchema,
  receivingSystemViewSchema,
  triageSchema,
  updateReceivingSystemSchema,
} from './inbound-schemas';
import { nextCursorSchema } from './cursor';

export function registerInboundPaths(
  registry: OpenAPIRegistry,
  { secured, errorSchema }: { secured: Record<string, string[]>[]; errorSchema: z.ZodType },
): void {
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const error = (description: string) => ({ description, ...json(errorSchema) });
  const id = z.object({ id: z.string().uuid() });
  const common = { 401: error('Missing or unknown API key') };

  registry.registerPath({
    method: 'post',
    path: '/v1/receiving-systems',
    summary:
      'Register a SvarInn receiving system (credentials, private key, organisation numbers); starts its poller',
    security: secured,
    request: { body: { required: true, ...json(createReceivingSystemSchema) } },
    responses: {
      201: { description: 'Created; secrets are never returned', ...json(receivingSystemViewSchema) },
      400: error('Invalid request; the message names the field'),
      ...common,
      409: error('An organisation number already belongs to another receiving system'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/receiving-systems',
    summary: 'The tenant’s receiving systems',
    security: secured,
    responses: {
      200: { description: 'The list', ...json(z.object({ items: z.array(receivingSystemViewSchema) })) },
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/receiving-systems/{id}',
    summary: 'A receiving system, with its last poll’s time and error',
    security: secured,
    request: { params: id },
    responses: {
      200: { description: 'The receiving system', ...json(receivingSystemViewSchema) },
      ...common,
      404: error('Unknown receiving system (or another tenant’s)'),
    },
  });
  registry.registerPath({
    method: 'patch',
    path: '/v1/receiving-systems/{id}',
    summary: 'Change a receiving system; organisation numbers, when given, replace the current ones',
    security: secured,
    request: { params: id, body: { required: true, ...json(updateReceivingSystemSchema) } },
    responses: {
      200: { description: 'Updated', ...json(receivingSystemViewSchema) },
      400: error('Invalid request; the message names the field'),
      ...common,
      404: error('Unknown receiving system (or another tenant’s)'),
      409: error('An organisation number already belongs to another receiving system'),
    },
  });
  registry.registerPath({
    method: 'delete',
    path: '/v1/receiving-systems/{id}',
    summary: 'Deactivate a receiving system: its poller stops; received items are kept',
    security: secured,
    request: { params: id },
    responses: {
      200: { description: 'Deactivated', ...json(receivingSystemViewSchema) },
      ...common,
      404: error('Unknown receiving system (or another tenant’s)'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/inbound',
    summary:
      'Items received through SvarInn, newest first (by receipt, then id, descending); page with `cursor` = `nextCursor`',
    security: secured,
    request: { query: listInboundQuerySchema },
    responses: {
      200: {
        description: 'One page of items; `nextCursor` is null on the last',
        ...json(z.object({ items: z.array(inboundSummarySchema), nextCursor: nextCursorSchema })),
      },
      400: error('Invalid filter; the message names it'),
      ...common,
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/inbound/{id}',
    summary: 'An inbound item: metadata, status, triage and its files',
    security: secured,
    request: { params: id },
    responses: {
      200: { description: 'The item', ...json(inboundDetailSchema) },
      ...common,
      404: error('Unknown item (or another tenant’s)'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/inbound/{id}/files/{fileId}',
    summary: 'Download one of an item’s files',
    security: secured,
    request: { params: id.extend({ fileId: z.string().uuid() }) },
    responses: {
      200: { description: 'The file, with its own content type' },
      ...common,
      404: error('Unknown item or file'),
      410: error('Purged: the item was deleted and its retention period has passed'),
    },
  });
  registry.registerPath({
    method: 'post',
    path: '/v1/inbound/{id}/triage',
    summary: 'Archive (optionally into a case), delete (with a reason) or forward an item',
    description: 'Sent as an update to the item’s workflow `svarinn-{forsendelseId}`; its validator decides.',
    security: secured,
    request: { params: id, body: { required: true, ...json(triageSchema) } },
    responses: {
      202: {
        description: 'Accepted; the decision is being carried out',
        headers: { Location: { schema: { type: 'string' } } },
        ...json(z.object({ id: z.string().uuid(), action: z.string(), status: z.literal('ACCEPTED') })),
      },
      400: error('Invalid decision; the message and details name the field'),
      ...common,
      404: error('Unknown item (or another tenant’s)'),
      409: error('The item is not waiting for triage (still being received, or already triaged)'),
    },
  });
}
