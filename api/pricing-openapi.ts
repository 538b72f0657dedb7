// Price lists, costs (JSON and CSV) and the run preview in the OpenAPI document, from the zod schemas that
// validate them.
import type { OpenAPIRegistry } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';
import { costsQuerySchema } from './letters-schemas';
import { costsByMonthSchema, previewSchema, pricesSchema, putPricesSchema } from './pricing-schemas';
import { previewQuerySchema } from './routes/run-preview';

export function registerPricingPaths(
  registry: OpenAPIRegistry,
  { secured, errorSchema }: { secured: Record<string, string[]>[]; errorSchema: z.ZodType },
): void {
  const json = (schema: z.ZodType) => ({ content: { 'application/json': { schema } } });
  const error = (description: string) => ({ description, ...json(errorSchema) });
  const common = {
    400: error('Invalid request; the message names the field'),
    401: error('Missing or unknown API key'),
  };

  registry.registerPath({
    method: 'post',
    path: '/v1/runs/preview',
    summary:
      'Preview the run: for each queued letter the channel Digipost will use (digital, print, not reachable with the reason), totals and the cost by today’s price list. Sends nothing.',
    security: secured,
    request: { query: previewQuerySchema },
    responses: {
      200: { description: 'The forecast', ...json(previewSchema) },
      ...common,
      409: error('The tenant has no active Digipost agreement'),
      502: error(
        'Digipost refused the identification for the whole preview (its set-up: certificate, sender)',
      ),
      503: error('Digipost could not be asked (down, or no Digipost client configured); try again'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/prices',
    summary: 'The tenant’s price lists (øre), each valid from its date, and the one valid today',
    security: secured,
    responses: { 200: { description: 'The price lists', ...json(pricesSchema) }, ...common },
  });
  registry.registerPath({
    method: 'put',
    path: '/v1/prices',
    summary:
      'Set the price list valid from a date (replaces one with the same date); letters are billed by the list valid on their run’s date',
    security: secured,
    request: { body: { required: true, ...json(putPricesSchema) } },
    responses: {
      200: { description: 'Stored; the price lists as they now are', ...json(pricesSchema) },
      ...common,
      409: error('Letters have already been billed on or after validFrom'),
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/costs',
    summary:
      'Costs for a period (inclusive dates, Europe/Oslo): totals by channel, the administration fee, credits, each month, and the price lists applied, in NOK',
    security: secured,
    request: { query: costsQuerySchema },
    responses: { 200: { description: 'Costs', ...json(costsByMonthSchema) }, ...common },
  });
  registry.registerPath({
    method: 'get',
    path: '/v1/costs.csv',
    summary:
      'The ledger for a period as CSV (semicolons, decimal comma, UTF-8 with BOM): one line per sent letter version, and one per credit',
    security: secured,
    request: { query: costsQuerySchema },
    responses: {
      200: {
        description:
          'Columns: dato;sak;brev;versjon;type (sendt|kreditert);kanal;ark;pris;gebyr;prisliste (its validity date, or "standard")',
        content: { 'text/csv': { schema: z.string() } },
      },
      ...common,
    },
  });
}
