// Webhook subscriptions and the delivery outbox. A letter's move queues its event in the statement that records
// the move (db/transitions.ts, with `webhookOutboxInsert` and `letterEventBody`), so an event is queued exactly
// when the change is recorded; `enqueueLetterWebhook` queues one event by itself.
import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, isNull, sql, type SQL } from 'drizzle-orm';
import type { Db } from './connection';
import { webhookDeliveries, webhookSubscriptions, type InboundEventBody } from './schema-webhooks';

/** A Db or a transaction of one. */
type Tx = Pick<Db, 'select' | 'insert' | 'update' | 'execute'>;

export type WebhookSubscription = typeof webhookSubscriptions.$inferSelect;
export type WebhookDelivery = typeof webhookDeliveries.$inferSelect;

export interface LetterWebhookEvent {
  tenantId: string;
  letterId: string;
  /** Unique per letter event (e.g. the letter_events id); receivers de-duplicate on it. */
  eventId: string;
  caseId: string;
  status: string;
  channel?: string | null;
  cause: string;
  at: Date;
  version?: number;
}

/** One letter event's values as SQL expressions: parameters (one move) or columns (a run's set-wise claim). */
export interface LetterEventValues {
  id: SQL;
  at: SQL;
  letterId: SQL;
  caseId: SQL;
  status: SQL;
  channel: SQL;
  cause: SQL;
  version: SQL;
}

/**
 * The body of a `letter.status_changed` event (LetterEventBody in db/schema-webhooks.ts): its one definition,
 * built in SQL by every path that queues one: a single move (`moveLetter` in db/transitions.ts), a run's claim of
 * its letters (`claimQueuedLetters`, same file) and one event queued by itself (`enqueueLetterWebhook`), so they
 * cannot drift apart.
 */
export function letterEventBody(v: LetterEventValues): SQL {
  return sql`jsonb_build_object(
    'id', ${v.id},
    'type', 'letter.status_changed',
    'occurredAt', to_char(${v.at} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
    'data', jsonb_build_object(
      'letterId', ${v.letterId}, 'caseId', ${v.caseId}, 'status', ${v.status}, 'channel', ${v.channel},
      'cause', ${v.cause}, 'version', ${v.version}))`;
}

/**
 * One delivery row per active subscription of the tenant; a repeated event id adds nothing. Returns how many
 * rows it added (0: the tenant has no active subscription, or the event was queued already).
 */
export async function enqueueLetterWebhook(db: Tx, e: LetterWebhookEvent): Promise<number> {
  const body = letterEventBody({
    id: sql`${e.eventId}::text`,
    at: sql`${e.at.toISOString()}::timestamptz`,
    letterId: sql`${e.letterId}::text`,
    caseId: sql`${e.caseId}::text`,
    status: sql`${e.status}::text`,
    channel: sql`${e.channel ?? null}::text`,
    cause: sql`${e.cause}::text`,
    version: sql`${e.version ?? null}::int`,
  });
  return enqueueForSubscriptions(db, e.tenantId, e.letterId, e.eventId, body);
}

/**
 * The outbox itself: one delivery row per active subscription of the tenant, for the letter or inbound item
 * `ownerId` (the outbox's `letterId` column); a repeated event id adds nothing.
 */
async function enqueueForSubscriptions(
  db: Tx,
  tenantId: string,
  ownerId: string,
  eventId: string,
  body: SQL,
): Promise<number> {
  // one statement (no lookup of the subscriptions first): it runs with every status change of every letter
  const added = await db.execute(
    sql`${webhookOutboxInsert({
      tenantId: sql`${tenantId}::text`,
      ownerId: sql`${ownerId}::uuid`,
      eventId: sql`${eventId}::text`,
      body,
    })} returning 1`,
  );
  return added.length;
}

/**
 * The outbox's INSERT … SELECT, its one definition: one delivery row per active subscription of the tenant, for
 * each row of `source` (a FROM item naming the rows the values are read from, e.g. a letter moved in the same
 * statement; without it, one event from the values given), a repeated event id adding nothing.
 */
export function webhookOutboxInsert(v: {
  source?: SQL;
  tenantId: SQL;
  ownerId: SQL;
  eventId: SQL;
  body: SQL;
}): SQL {
  return sql`
    insert into ${webhookDeliveries} (id, subscription_id, tenant_id, letter_id, event_id, body)
    select gen_random_uuid(), s.id, ${v.tenantId}, ${v.ownerId}, ${v.eventId}, ${v.body}
    from ${v.source ?? sql.raw('(values (1)) as one')}
    join ${webhookSubscriptions} s on s.tenant_id = ${v.tenantId} and s.deleted_at is null
    on conflict (subscription_id, event_id) do nothing`;
}

export interface InboundWebhookEvent {
  tenantId: string;
  type: InboundEventBody['type'];
  /** Unique per item event; receivers de-duplicate on it. */
  eventId: string;
  inboundItemId: string;
  forsendelseId: string;
  receivingSystemId: string;
  status: string;
  reason: string | null;
  at: Date;
}

/**
 * Queues an inbound item's event for every active subscription of the tenant, in the transaction that
 * records it. The outbox row's `letterId` holds the item's id: its delivery workflow is
 * `webhooks-inbound-{itemId}` (workflows/webhook-workflow.ts).
 */
export async function enqueueInboundWebhook(db: Tx, e: InboundWebhookEvent): Promise<void> {
  const body: InboundEventBody = {
    id: e.eventId,
    type: e.type,
    occurredAt: e.at.toISOString(),
    data: {
      inboundItemId: e.inboundItemId,
      forsendelseId: e.forsendelseId,
      receivingSystemId: e.receivingSystemId,
      status: e.status,
      reason: e.reason,
    },
  };
  await enqueueForSubscriptions(
    db,
    e.tenantId,
    e.inboundItemId,
    e.eventId,
    sql`${JSON.stringify(body)}::jsonb`,
  );
}

/**
 * Registers a URL; the returned secret (`whsec_…`) is the only time it is shown. Undefined when the tenant
 * already has `limit` active subscriptions (counted under a lock on the tenant, so racing requests cannot pass
 * it together).
 */
export async function createWebhookSubscription(
  db: Db,
  s: { tenantId: string; url: string; description?: string | null },
  limit = Number.POSITIVE_INFINITY,
): Promise<WebhookSubscription | undefined> {
  return db.transaction(async (tx) => {
    await tx.execute(sql`select 1 from tenants where id = ${s.tenantId} for update`);
    const [{ n } = { n: 0 }] = await tx
      .select({ n: sql<number>`count(*)::int` })
      .from(webhookSubscriptions)
      .where(and(eq(webhookSubscriptions.tenantId, s.tenantId), isNull(webhookSubscriptions.deletedAt)));
    if (n >= limit) return undefined;
    const [row] = await tx
      .insert(webhookSubscriptions)
      .values({
        id: randomUUID(),
        tenantId: s.tenantId,
        url: s.url,
        description: s.description ?? null,
        secret: `whsec_${randomBytes(32).toString('base64url')}`,
      })
      .returning();
    return row!;
  });
}

export async function listWebhookSubscriptions(db: Db, tenantId: string): Promise<WebhookSubscription[]> {
  return db
    .select()
    .from(webhookSubscriptions)
    .where(and(eq(webhookSubscriptions.tenantId, tenantId), isNull(webhookSubscriptions.deletedAt)))
    .orderBy(asc(webhookSubscriptions.createdAt));
}

/** Ends a subscription and cancels its pending deliveries; false when the tenant has no such subscription. */
export async function deleteWebhookSubscription(db: Db, tenantId: string, id: string): Promise<boolean> {
  return db.transaction(async (tx) => {
    const ended = await tx
      .update(webhookSubscriptions)
      .set({ deletedAt: new Date() })
      .where(
        and(
          eq(webhookSubscriptions.id, id),
          eq(webhookSubscriptions.tenantId, tenantId),
          isNull(webhookSubscriptions.deletedAt),
        ),
      )
      .returning({ id: webhookSubscriptions.id });
    if (ended.length === 0) return false;
    await tx
      .update(webhookDeliveries)
      .set({ status: 'CANCELLED' })
      .where(and(eq(webhookDeliveries.subscriptionId, id), eq(webhookDeliveries.status, 'PENDING')));
    return true;
  });
}

/** A letter's pending deliveries in the order they must arrive (per subscription: by sequence). */
export async function pendingLetterDeliveries(
  db: Db,
  letterId: string,
  limit: number,
): Promise<{ id: string; subscriptionId: string }[]> {
  return db
    .select({ id: webhookDeliveries.id, subscriptionId: webhookDeliveries.subscriptionId })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.letterId, letterId), eq(webhookDeliveries.status, 'PENDING')))
    .orderBy(asc(webhookDeliveries.sequence))
    .limit(limit);
}

export async function deliveryWithSubscription(
  db: Db,
  deliveryId: string,
): Promise<{ delivery: WebhookDelivery; subscription: WebhookSubscription } | undefined> {
  const [row] = await db
    .select({ delivery: webhookDeliveries, subscription: webhookSubscriptions })
    .from(webhookDeliveries)
    .innerJoin(webhookSubscriptions, eq(webhookSubscriptions.id, webhookDeliveries.subscriptionId))
    .where(eq(webhookDeliveries.id, deliveryId));
  return row;
}

export async function markDelivery(
  db: Db,
  deliveryId: string,
  outcome: { status: 'DELIVERED' | 'CANCELLED' } | { failed: string },
): Promise<void> {
  await db
    .update(webhookDeliveries)
    .set(
      'failed' in outcome
        ? { attempts: sql`${webhookDeliveries.attempts} + 1`, lastError: outcome.failed }
        : outcome.status === 'DELIVERED'
          ? { status: 'DELIVERED', attempts: sql`${webhookDeliveries.attempts} + 1`, deliveredAt: new Date() }
          : { status: 'CANCELLED' },
    )
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.status, 'PENDING')));
}

/** Whether a letter has deliveries waiting (so kicking its delivery workflow is worth it). */
export async function hasPendingLetterDeliveries(db: Db, letterId: string): Promise<boolean> {
  return (await pendingLetterDeliveries(db, letterId, 1)).length > 0;
}
