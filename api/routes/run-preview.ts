// The run preview (POST /v1/runs/preview): what sending a run now would do with each queued letter (digital,
// print, not reachable with the reason), the totals and the cost by the price list valid today. Recipients are
// identified through Digipost (cached for a configurable time, a bounded number of calls in flight); nothing is
// sent and nothing changes but the identification cache. National ids stay in this process: they are never
// logged, and no workflow is involved.
import { attachmentPagesOf } from '../../db/attachment-pages';
import { Router } from 'express';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import type { Db } from '../../db/connection';
import { letterDocuments, letters } from '../../db/schema';
import { ApiError, fromZod } from '../errors';
import { tenantWithDigipost } from '../auth';
import { boundedInt } from '../edge';
import { z } from 'zod';
import { DigipostError, type DigipostClient } from '../../integrations/digipost/client';
import { cachedIdentifications, identificationKey, storeIdentifications } from '../../db/identifications';
import { priceListOn } from '../../db/prices';
import { osloDay, priceLetter } from '../../domain/pricing';
import { forecastLetter } from '../../domain/forecast';
import type { StoredRecipient } from '../../domain/postal-address';

/** What identifies the recipient in the cache: the national id, or the organisation number marked as such. */
const recipientIdOf = (r: StoredRecipient): string => r.nationalId ?? `org:${r.orgNumber}`;

export interface PreviewOptions {
  /** How long an identification is reused (config DIGIPOST_IDENTIFICATION_CACHE_SECONDS). */
  cacheSeconds: number;
  /** Identification calls to Digipost in flight at once (config PREVIEW_IDENTIFY_CONCURRENCY). */
  concurrency: number;
}

export const PREVIEW_DEFAULTS: PreviewOptions = { cacheSeconds: 24 * 3600, concurrency: 8 };

export const previewQuerySchema = z
  .object({
    /** How many letters the answer lists one by one (the totals always count every queued letter). */
    limit: boundedInt({ min: 0, max: 100_000 }).default(1000),
  })
  .strict();

const PAGE = 2000;
const nok = (ore: number) => Math.round(ore) / 100;

async function inParallel<T>(items: T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

export function runPreviewRouter({
  db,
  digipost,
  options = PREVIEW_DEFAULTS,
  now = () => new Date(),
}: {
  db: Db;
  digipost?: DigipostClient;
  options?: PreviewOptions;
  now?: () => Date;
}): Router {
  const router = Router();
  router.post('/runs/preview', async (req, res) => {
    const q = previewQuerySchema.safeParse(req.query);
    if (!q.success) throw fromZod(q.error, 'query');
    const tenant = tenantWithDigipost(res);
    if (!digipost)
      throw new ApiError(503, 'DIGIPOST_UNAVAILABLE', 'this API has no Digipost client configured');
    const sender = digipost.forSender(tenant.digipostSenderId);
    const at = now();
    const list = await priceListOn(db, tenant.id, osloDay(at));
    const since = new Date(at.getTime() - options.cacheSeconds * 1000);
    const shown: unknown[] = [];
    const totals = { letters: 0, digital: 0, print: 0, notReachable: 0 };
    const cost = { postage: 0, adminFee: 0 };
    const identification = { asked: 0, cached: 0 };
    let after = '';
    for (;;) {
      const page = await db
        .select({
          id: letters.id,
          caseId: letters.caseId,
          recipient: letters.recipient,
          pages: letterDocuments.pages,
          attachmentPages: attachmentPagesOf(sql.raw('letters.id'), sql.raw('letters.version')),
        })
        .from(letters)
        .innerJoin(
          letterDocuments,
          and(eq(letterDocuments.letterId, letters.id), eq(letterDocuments.version, letters.version)),
        )
        .where(
          and(
            eq(letters.tenantId, tenant.id),
            eq(letters.status, 'QUEUED'),
            after ? gt(letters.id, after) : undefined,
          ),
        )
        .orderBy(asc(letters.id))
        .limit(PAGE);
      if (page.length === 0) break;
      after = page[page.length - 1]!.id;
      const keyOf = new Map(
        page.map((l) => [
          l.id,
          identificationKey(tenant.digipostSenderId, recipientIdOf(l.recipient as StoredRecipient)),
        ]),
      );
      const known = await cachedIdentifications(db, [...new Set(keyOf.values())], since);
      identification.cached += page.filter((l) => known.has(keyOf.get(l.id)!)).length;
      // one call per recipient not in the cache (a recipient with several letters is asked once)
      const ask = [
        ...new Map(
          page.filter((l) => !known.has(keyOf.get(l.id)!)).map((l) => [keyOf.get(l.id)!, l]),
        ).values(),
      ];
      const fresh: { key: string; result: string; reason: string | null; at: Date }[] = [];
      const refused = new Map<string, { result: string; reason: string }>();
      try {
        await inParallel(ask, options.concurrency, async (l) => {
          const key = keyOf.get(l.id)!;
          try {
            const to = l.recipient as StoredRecipient;
            const r = await sender.identify(to.nationalId ?? { orgNumber: to.orgNumber! });
            fresh.push({ key, result: r.result, reason: r.reason ?? null, at: new Date() });
          } catch (e) {
            // Digipost refused this one recipient's data: not a Digipost user as far as the run can tell, so its
            // address decides; the refusal is not cached. Anything else is about the whole preview (below).
            if (!(e instanceof DigipostError) || e.retryable || e.type !== 'CLIENT_DATA') throw e;
            refused.set(key, { result: 'UNIDENTIFIED', reason: e.code });
          }
        });
      } catch (e) {
        if (e instanceof DigipostError && e.retryable)
          throw new ApiError(
            503,
            'DIGIPOST_UNAVAILABLE',
            `Digipost could not identify the recipients (${e.code}); try the preview again`,
          );
        if (e instanceof DigipostError)
          throw new ApiError(
            502,
            'DIGIPOST_REFUSED',
            `Digipost refused to identify recipients (${e.code}): check the Digipost set-up of the tenant`,
          );
        throw e;
      }
      identification.asked += fresh.length + refused.size;
      await storeIdentifications(db, fresh);
      for (const f of fresh) known.set(f.key, { result: f.result, reason: f.reason });
      for (const [key, r] of refused) known.set(key, r);
      for (const l of page) {
        const r = l.recipient as StoredRecipient;
        const f = forecastLetter(known.get(keyOf.get(l.id)!)!.result, r.address);
        const priced =
          f.forecast === 'NOT_REACHABLE'
            ? { sheets: 0, postage: 0, adminFee: 0 }
            : priceLetter(list.prices, f.forecast === 'PRINT' ? 'PRINT' : 'DIGIPOST', [
                l.pages,
                ...l.attachmentPages,
              ]);
        totals.letters++;
        if (f.forecast === 'DIGITAL') totals.digital++;
        else if (f.forecast === 'PRINT') totals.print++;
        else totals.notReachable++;
        cost.postage += priced.postage;
        cost.adminFee += priced.adminFee;
        if (shown.length < q.data.limit)
          shown.push({
            id: l.id,
            caseId: l.caseId,
            ...f,
            sheets: priced.sheets,
            cost: nok(priced.postage + priced.adminFee),
          });
      }
    }
    res.json({
      generatedAt: at.toISOString(),
      letters: shown,
      totals,
      cost: {
        currency: 'NOK',
        postage: nok(cost.postage),
        adminFee: nok(cost.adminFee),
        total: nok(cost.postage + cost.adminFee),
        priceList: list,
      },
      identification,
    });
  });
  return router;
}
