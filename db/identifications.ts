// Digipost identification results, cached for the run preview (digipost-api.md §3). The key is a SHA-256 of the
// sender and the national id: no national id is stored in this table.
import { createHash } from 'node:crypto';
import { and, gt, inArray, sql } from 'drizzle-orm';
import type { Db } from './connection';
import { digipostIdentifications } from './schema';

export interface CachedIdentification {
  result: string;
  reason: string | null;
}

/** The cache key of one recipient as identified by one sender (null: the broker itself). */
export function identificationKey(senderId: string | null, nationalId: string): string {
  return createHash('sha256')
    .update(`digipost-identification:${senderId ?? 'broker'}:${nationalId}`)
    .digest('hex');
}

/** The results identified after `since`, by key. */
export async function cachedIdentifications(
  db: Db,
  keys: string[],
  since: Date,
): Promise<Map<string, CachedIdentification>> {
  if (keys.length === 0) return new Map();
  const rows = await db
    .select()
    .from(digipostIdentifications)
    .where(
      and(inArray(digipostIdentifications.keyHash, keys), gt(digipostIdentifications.identifiedAt, since)),
    );
  return new Map(rows.map((r) => [r.keyHash, { result: r.result, reason: r.reason }]));
}

export async function storeIdentifications(
  db: Db,
  entries: { key: string; result: string; reason: string | null; at: Date }[],
): Promise<void> {
  if (entries.length === 0) return;
  await db
    .insert(digipostIdentifications)
    .values(entries.map((e) => ({ keyHash: e.key, result: e.result, reason: e.reason, identifiedAt: e.at })))
    .onConflictDoUpdate({
      target: digipostIdentifications.keyHash,
      set: {
        result: sql`excluded.result`,
        reason: sql`excluded.reason`,
        identifiedAt: sql`excluded.identified_at`,
      },
    });
}
