// Webhooks: a case system registers a URL and receives every letter status change there, signed.
import { Router } from 'express';
import type { Db } from '../../db/connection';
import {
  createWebhookSubscription,
  deleteWebhookSubscription,
  listWebhookSubscriptions,
  type WebhookSubscription,
} from '../../db/webhooks';
import { ApiError, fromZod } from '../errors';
import { createWebhookSchema } from '../webhooks-schemas';
import { tenantOf } from '../auth';
import {
  destinationProblem,
  type DestinationPolicy,
  type Lookup,
} from '../../integrations/webhooks/destination';

export interface WebhooksRouterDeps {
  db: Db;
  allowHttpLocalhost: boolean;
  /** Where subscriptions may point (production: `public`); checked again at every delivery. */
  destinations?: DestinationPolicy;
  /** How many active subscriptions a tenant may have (each receives every status change). */
  maxSubscriptions?: number;
  /** Name resolution (tests may pass their own; default: the system resolver). */
  lookup?: Lookup;
}

export const DEFAULT_MAX_WEBHOOKS = 20;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const view = (s: WebhookSubscription) => ({
  id: s.id,
  url: s.url,
  description: s.description,
  createdAt: s.createdAt.toISOString(),
});

export function webhooksRouter({
  db,
  allowHttpLocalhost,
  destinations = 'any',
  maxSubscriptions = DEFAULT_MAX_WEBHOOKS,
  lookup,
}: WebhooksRouterDeps): Router {
  const router = Router();
  const schema = createWebhookSchema({ allowHttpLocalhost });

  router.post('/webhooks', async (req, res) => {
    const parsed = schema.safeParse(req.body);
    if (!parsed.success) throw fromZod(parsed.error);
    // only the address policy of production applies here; `loopback` limits deliveries, not registrations
    const problem =
      destinations === 'public'
        ? await destinationProblem(parsed.data.url, 'public', { resolve: true, lookup })
        : undefined;
    if (problem)
      throw new ApiError(400, 'VALIDATION_FAILED', `url: ${problem}`, [
        { field: 'url', in: 'body', problem },
      ]);
    const tenantId = tenantOf(res).id;
    const created = await createWebhookSubscription(db, { tenantId, ...parsed.data }, maxSubscriptions);
    if (!created)
      throw new ApiError(
        409,
        'WEBHOOK_LIMIT',
        `a tenant may have at most ${maxSubscriptions} webhook subscriptions; delete one first`,
      );
    res
      .status(201)
      .location(`/v1/webhooks/${created.id}`)
      .json({ ...view(created), secret: created.secret });
  });

  router.get('/webhooks', async (_req, res) => {
    res.json({ webhooks: (await listWebhookSubscriptions(db, tenantOf(res).id)).map(view) });
  });

  router.delete('/webhooks/:id', async (req, res) => {
    const id = req.params.id;
    const found = UUID.test(id) && (await deleteWebhookSubscription(db, tenantOf(res).id, id));
    if (!found) throw new ApiError(404, 'NOT_FOUND', `webhook ${id} not found`);
    res.status(204).end();
  });

  return router;
}
