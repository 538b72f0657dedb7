// The tenant's price lists (GET/PUT /v1/prices), versioned by the day each takes effect; see db/prices.ts.
import { Router } from 'express';
import type { Db } from '../../db/connection';
import { billedSince, priceListOn, priceListsOf, setPriceList } from '../../db/prices';
import { osloDay } from '../../domain/pricing';
import { ApiError, fromZod } from '../errors';
import { putPricesSchema } from '../pricing-schemas';
import { tenantOf } from '../auth';

export function pricesRouter({ db, now = () => new Date() }: { db: Db; now?: () => Date }): Router {
  const router = Router();
  const view = async (tenantId: string) => ({
    currency: 'NOK',
    unit: 'øre',
    current: await priceListOn(db, tenantId, osloDay(now())),
    lists: await priceListsOf(db, tenantId),
  });

  router.get('/prices', async (_req, res) => {
    res.json(await view(tenantOf(res).id));
  });

  router.put('/prices', async (req, res) => {
    const body = putPricesSchema.safeParse(req.body);
    if (!body.success) throw fromZod(body.error, 'body');
    const tenantId = tenantOf(res).id;
    if (await billedSince(db, tenantId, body.data.validFrom))
      throw new ApiError(
        409,
        'ALREADY_BILLED',
        `validFrom: letters have been billed on or after ${body.data.validFrom}; a new list must start after the last billed day`,
      );
    await setPriceList(db, tenantId, body.data.validFrom, body.data.prices);
    res.json(await view(tenantId));
  });
  return router;
}
