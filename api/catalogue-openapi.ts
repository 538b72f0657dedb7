// The template catalogue and the case flows in the OpenAPI document.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import type { z } from 'zod';
import { caseFlowsSchema, templatesSchema } from './catalogue-schemas';

export function registerCataloguePaths(
  registry: OpenAPIRegistry,
  { secured, errorSchema }: { secured: Record<string, string[]>[]; errorSchema: z.ZodType },
): void {
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const unauthorized = { description: 'Missing or unknown API key', ...json(errorSchema) };
  registry.registerPath({
    method: 'get',
    path: '/v1/templates',
    summary:
      'The templates, in catalogue order: code, title, Digipost-compatible or not, merge data JSON Schema',
    security: secured,
    responses: { 200: { description: 'The templates', ...json(templatesSchema) }, 401: unauthorized },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/case-flows',
    summary:
      'The case flows (saksganger), each step’s template and where its letter goes: only `_` templates of a `*` flow go to Digipost',
    security: secured,
    responses: { 200: { description: 'The case flows', ...json(caseFlowsSchema) }, 401: unauthorized },
  });
}
