// The one transition mechanism on a real PostgreSQL: each move guarded by the allowed moves, with its history
// row, recorded once however often it is retried; and the webhook body the same whichever path queues it.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import { openDatabase, type Db } from './connection';
import {
  inboundEvents,
  inboundItems,
  letterEvents,
  letters,
  receivingSystems,
  runEvents,
  runs,
  webhookDeliveries,
} from './schema';
import { applyTransition, claimQueuedLetters, createInboundItem, moveInbound, moveRun } from './transitions';
import { createWebhookSubscription, enqueueLetterWebhook } from './webhooks';
import { tenantForTests } from '../test/support/tenants';

let db: Db;
let close: () => Promise<void>;

beforeAll(async () => {
  ({ db, close } = await openDatabase(inject('databaseUrl')));
});
afterAll(async () => {
  await close();
});

async function queuedLetter(tenantId: string, caseId: string): Promise<string> {
  const id = randomUUID();
  await db.insert(letters).values({
    id,
    tenantId,
    caseId,
    templateCode: '_IKV_STANDARD',
    status: 'QUEUED',
    channel: 'DIGIPOST',
    recipient: { name: 'Kari' },
    mergeData: {},
  });
  return id;
}

describe('letters', () => {
  it('refuse a move the allowed moves do not have, before touching the database', async () => {
    const { tenant } = await tenantForTests(db);
    const id = await queuedLetter(tenant.id, 'SAK-1');
    await expect(
      applyTransition(db, { letterId: id, from: ['DELETED'], to: 'WAITING', cause: 'x' }),
    ).rejects.toThrow('letter: the move DELETED → WAITING is not allowed');
    const [row] = await db.select().from(letters).where(eq(letters.id, id));
    expect(row!.status).toBe('QUEUED');
    expect(await db.select().from(letterEvents).where(eq(letterEvents.letterId, id))).toEqual([]);
  });

  it('move once, with one history row, however often the move is repeated', async () => {
    const { tenant } = await tenantForTests(db);
    const id = await queuedLetter(tenant.id, 'SAK-2');
    const move = {
      letterId: id,
      from: ['QUEUED'] as const,
      to: 'DELETED' as const,
      cause: 'Slettet fra køen',
    };
    expect((await applyTransition(db, move)).moved).toBe(true);
    expect((await applyTransition(db, move)).moved).toBe(false);
    const events = await db.select().from(letterEvents).where(eq(letterEvents.letterId, id));
    expect(events.map((e) => [e.status, e.cause])).toEqual([['DELETED', 'Slettet fra køen']]);
  });
});

describe('the letter webhook body', () => {
  it('is the same whether a single move or a run’s claim queues it', async () => {
    const { tenant } = await tenantForTests(db);
    await createWebhookSubscription(db, { tenantId: tenant.id, url: 'https://example.org/hook' });
    const letterId = await queuedLetter(tenant.id, 'SAK-3');
    const runId = randomUUID();
    expect(await claimQueuedLetters(db, { runId, tenantId: tenant.id })).toBe(1);
    const [claimed] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.letterId, letterId));
    const [event] = await db.select().from(letterEvents).where(eq(letterEvents.letterId, letterId));

    // the same event through the single-move path (the claim's row removed, so its event id is free again)
    await db.delete(webhookDeliveries).where(eq(webhookDeliveries.letterId, letterId));
    await enqueueLetterWebhook(db, {
      tenantId: tenant.id,
      letterId,
      eventId: event!.id,
      caseId: 'SAK-3',
      status: 'WAITING',
      channel: 'DIGIPOST',
      cause: event!.cause,
      at: event!.at,
      version: 1,
    });
    const [single] = await db
      .select()
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.letterId, letterId));

    expect(claimed!.body).toEqual(single!.body);
    expect(single!.body).toEqual({
      id: event!.id,
      type: 'letter.status_changed',
      occurredAt: event!.at.toISOString(),
      data: {
        letterId,
        caseId: 'SAK-3',
        status: 'WAITING',
        channel: 'DIGIPOST',
        cause: `Med i kjøring ${runId}`,
        version: 1,
      },
    });
  });

  it('says null for a letter without channel or version', async () => {
    const { tenant } = await tenantForTests(db);
    await createWebhookSubscription(db, { tenantId: tenant.id, url: 'https://example.org/hook' });
    const letterId = randomUUID();
    const at = new Date('2026-03-01T08:09:10.123Z');
    await enqueueLetterWebhook(db, {
      tenantId: tenant.id,
      letterId,
      eventId: 'e-1',
      caseId: 'SAK-4',
      status: 'QUEUED',
      cause: 'I kø',
      at,
    });
    const [row] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.letterId, letterId));
    expect(row!.body).toEqual({
      id: 'e-1',
      type: 'letter.status_changed',
      occurredAt: '2026-03-01T08:09:10.123Z',
      data: { letterId, caseId: 'SAK-4', status: 'QUEUED', channel: null, cause: 'I kø', version: null },
    });
  });
});

describe('runs', () => {
  it('record each move with its history row: sent, committed, done; a repeated or late move changes nothing', async () => {
    const { tenant } = await tenantForTests(db);
    await queuedLetter(tenant.id, 'SAK-5');
    const runId = randomUUID();
    await claimQueuedLetters(db, { runId, tenantId: tenant.id });
    const committed = { runId, to: 'COMMITTED' as const, cause: 'Bunten er bekreftet hos Digipost' };
    expect(await moveRun(db, { ...committed, set: { batchStatus: 'COMMITTED' } })).toBe(true);
    expect(await moveRun(db, committed)).toBe(false);
    expect(await moveRun(db, { runId, to: 'FAILED', cause: 'for sent' })).toBe(false);
    expect(await moveRun(db, { runId, to: 'DONE', cause: 'Ferdig' })).toBe(true);
    const [run] = await db.select().from(runs).where(eq(runs.id, runId));
    expect([run!.status, run!.batchStatus]).toEqual(['DONE', 'COMMITTED']);
    const history = await db
      .select({ status: runEvents.status, cause: runEvents.cause })
      .from(runEvents)
      .where(eq(runEvents.runId, runId));
    expect(history).toHaveLength(3);
    // moves a millisecond apart may share their time: the rows, not their order by time
    expect(history).toEqual(
      expect.arrayContaining([
        { status: 'SENDING', cause: 'Kjøringen er sendt med 1 brev' },
        { status: 'COMMITTED', cause: 'Bunten er bekreftet hos Digipost' },
        { status: 'DONE', cause: 'Ferdig' },
      ]),
    );
  });

  it('refuse a move the allowed moves do not have', async () => {
    await expect(
      moveRun(db, { runId: randomUUID(), from: ['DONE'], to: 'COMMITTED', cause: 'x' }),
    ).rejects.toThrow('run: the move DONE → COMMITTED is not allowed');
  });
});

describe('inbound items', () => {
  async function receivingSystem(tenantId: string): Promise<string> {
    const id = randomUUID();
    await db.insert(receivingSystems).values({
      id,
      tenantId,
      name: 'Arkiv',
      username: `u-${id}`,
      passwordSealed: 'x',
      privateKeySealed: 'x',
    });
    return id;
  }

  it('record each move with its history row and webhook event, once, and only along the allowed moves', async () => {
    const { tenant } = await tenantForTests(db);
    await createWebhookSubscription(db, { tenantId: tenant.id, url: 'https://example.org/hook' });
    const system = await receivingSystem(tenant.id);
    const forsendelseId = randomUUID();
    const values = {
      id: randomUUID(),
      tenantId: tenant.id,
      receivingSystemId: system,
      forsendelseId,
      status: 'RECEIVED' as const,
      title: 'Søknad',
      metadata: {},
    };
    const item = await createInboundItem(db, values);
    expect(item?.forsendelseId).toBe(forsendelseId);
    expect(await createInboundItem(db, { ...values, id: randomUUID() })).toBeUndefined();

    // not acknowledged yet: it cannot be triaged
    expect(await moveInbound(db, { forsendelseId, to: 'ARCHIVING' })).toBeUndefined();
    expect(
      await moveInbound(db, { forsendelseId, to: 'STORED', set: { storedAt: new Date() } }),
    ).toBeDefined();
    expect(await moveInbound(db, { forsendelseId, to: 'STORED' })).toBeUndefined();
    expect(await moveInbound(db, { forsendelseId, to: 'AWAITING_TRIAGE', from: ['STORED'] })).toBeDefined();
    expect(await moveInbound(db, { forsendelseId, to: 'ARCHIVING' })).toBeDefined();
    expect(
      await moveInbound(db, {
        forsendelseId,
        to: 'TRIAGE_FAILED',
        set: { failureReason: 'Arkivet avviste journalposten' },
      }),
    ).toBeDefined();
    await expect(moveInbound(db, { forsendelseId, to: 'STORED', from: ['ARCHIVED'] })).rejects.toThrow(
      'inbound item: the move ARCHIVED → STORED is not allowed',
    );

    const [row] = await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, forsendelseId));
    expect(row!.status).toBe('TRIAGE_FAILED');
    const history = await db
      .select({ status: inboundEvents.status, reason: inboundEvents.reason })
      .from(inboundEvents)
      .where(eq(inboundEvents.itemId, row!.id));
    const moves = [
      { status: 'RECEIVED', reason: null },
      { status: 'STORED', reason: null },
      { status: 'AWAITING_TRIAGE', reason: null },
      { status: 'ARCHIVING', reason: null },
      { status: 'TRIAGE_FAILED', reason: 'Arkivet avviste journalposten' },
    ];
    expect(history).toHaveLength(moves.length);
    expect(history).toEqual(expect.arrayContaining(moves));
    const hooks = await db
      .select({ body: webhookDeliveries.body })
      .from(webhookDeliveries)
      .where(eq(webhookDeliveries.letterId, row!.id))
      .orderBy(asc(webhookDeliveries.sequence));
    // the webhook events in the order of the moves (the outbox's sequence)
    expect(hooks.map((h) => h.body.data.status)).toEqual(moves.map((m) => m.status));
  });
});
