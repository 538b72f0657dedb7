// Webhooks end to end: subscriptions through the API, events enqueued as the letter workflow will enqueue them,
// delivered by `webhooks-letter-{id}` on a real Temporal dev server to a real HTTP receiver that first fails
// (HTTP 500, then no answer at all) and then accepts. Every event arrives, in order per letter, signed, and
// is accepted exactly once; a deleted subscription stops its retries.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { createApp } from '../api/app';
import { eq } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { webhookDeliveries } from '../db/schema';
import { createWebhookSubscription, enqueueLetterWebhook } from '../db/webhooks';
import { createWebhookActivities } from '../activities/webhook-activities';
import { kickLetterWebhooks } from '../temporal/letter-transitions';
import { tenantForTests } from './support/tenants';
import { until, useTestSystem } from './support/system';
import { Receiver } from './support/webhook-receiver';
import { letterWebhooksWorkflowId } from '../domain/workflow-ids';

const system = useTestSystem({ webhookRequestTimeoutMs: 500 });
let db: Db;
let client: Client;
let base: string;
let taskQueue: string;

beforeAll(() => {
  ({ db, temporal: client, base, taskQueue } = system);
});

const post = (path: string, auth: object, body: unknown) =>
  fetch(`${base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...auth },
    body: JSON.stringify(body),
  });

describe('webhook subscriptions API', () => {
  it('registers (secret shown once), lists, deletes; tenant-scoped; https required except localhost', async () => {
    const { auth } = await tenantForTests(db);
    const other = await tenantForTests(db);
    const created = await post('/v1/webhooks', auth, {
      url: 'https://case.example/hook',
      description: 'SAK',
    });
    expect(created.status).toBe(201);
    const body = (await created.json()) as { id: string; secret: string; url: string };
    expect(body.secret).toMatch(/^whsec_/);
    expect(created.headers.get('location')).toBe(`/v1/webhooks/${body.id}`);
    const listed = (await (await fetch(`${base}/v1/webhooks`, { headers: auth })).json()) as {
      webhooks: Record<string, unknown>[];
    };
    expect(listed.webhooks).toEqual([
      { id: body.id, url: 'https://case.example/hook', description: 'SAK', createdAt: expect.any(String) },
    ]);
    const otherList = (await (await fetch(`${base}/v1/webhooks`, { headers: other.auth })).json()) as {
      webhooks: unknown[];
    };
    expect(otherList.webhooks).toEqual([]);

    for (const url of ['http://case.example/hook', 'ftp://127.0.0.1/x', 'not a url']) {
      const bad = await post('/v1/webhooks', auth, { url });
      expect(bad.status).toBe(400);
      expect(((await bad.json()) as { error: { message: string } }).error.message).toMatch(/^url: /);
    }
    expect((await post('/v1/webhooks', auth, { url: 'http://localhost:9/x' })).status).toBe(201);
    expect((await post('/v1/webhooks', {}, { url: 'https://case.example/hook' })).status).toBe(401);

    const del = (who: object, id: string) =>
      fetch(`${base}/v1/webhooks/${id}`, { method: 'DELETE', headers: { ...who } });
    expect((await del(other.auth, body.id)).status).toBe(404);
    expect((await del(auth, 'nope')).status).toBe(404);
    expect((await del(auth, body.id)).status).toBe(204);
    expect((await del(auth, body.id)).status).toBe(404);
  });
});

describe('webhook delivery on a real Temporal server', () => {
  it('delivers every event once, in order per letter, signed, despite failures and timeouts', async () => {
    const { tenant, auth } = await tenantForTests(db);
    // The first four requests fail: two answer 500, two never answer (the sender times out).
    const receiver = await new Receiver((n) => (n <= 2 ? 'fail' : n <= 4 ? 'hang' : 'accept')).start();
    try {
      const created = (await (await post('/v1/webhooks', auth, { url: receiver.url })).json()) as {
        secret: string;
      };
      receiver.secret = created.secret;
      const kicker = { db, temporal: client, taskQueue, idle: '2 seconds' };
      const letterA = randomUUID();
      const letterB = randomUUID();
      const sent: Record<string, string[]> = { [letterA]: [], [letterB]: [] };
      const emit = async (letterId: string, status: string) => {
        const eventId = randomUUID();
        sent[letterId]!.push(eventId);
        // As the letter workflow will: in the transaction that records the transition.
        await db.transaction((tx) =>
          enqueueLetterWebhook(tx, {
            tenantId: tenant.id,
            letterId,
            eventId,
            caseId: 'SAK-9',
            status,
            channel: status.startsWith('SENT') ? 'DIGITAL' : null,
            cause: `now ${status}`,
            at: new Date(),
            version: 1,
          }),
        );
        await kickLetterWebhooks(kicker, letterId);
        return eventId;
      };
      const first = await emit(letterA, 'RECEIVED');
      await emit(letterB, 'RECEIVED');
      await emit(letterA, 'QUEUED');
      await emit(letterB, 'QUEUED');
      await emit(letterA, 'WAITING');
      await emit(letterA, 'SENT_DIGITAL');
      await emit(letterB, 'SENT_PRINT');
      // Enqueueing the same event again adds nothing.
      await enqueueLetterWebhook(db, {
        tenantId: tenant.id,
        letterId: letterA,
        eventId: first,
        caseId: 'SAK-9',
        status: 'RECEIVED',
        cause: 'again',
        at: new Date(),
      });

      await until('all seven events accepted', () => receiver.accepted.length >= 7);
      // A later event after the delivery workflow completed starts a new run.
      await client.workflow.getHandle(letterWebhooksWorkflowId(letterA)).result();
      await emit(letterA, 'NOT_SENT');
      await until('the eighth event accepted', () => receiver.accepted.length >= 8);

      expect(receiver.attempts).toBeGreaterThanOrEqual(12); // 4 failed attempts + 8 accepted
      expect(receiver.accepted.every((r) => r.signatureValid)).toBe(true);
      const ids = receiver.accepted.map((r) => r.eventId);
      expect(new Set(ids).size).toBe(ids.length);
      for (const letterId of [letterA, letterB])
        expect(receiver.accepted.filter((r) => r.letterId === letterId).map((r) => r.eventId)).toEqual(
          sent[letterId],
        );
      const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.tenantId, tenant.id));
      expect(rows).toHaveLength(8);
      expect(rows.every((r) => r.status === 'DELIVERED')).toBe(true);
      expect(rows.reduce((n, r) => n + r.attempts, 0)).toBe(receiver.attempts);
      // The body names letter and case only: no recipient data.
      expect(Object.keys(rows[0]!.body.data).sort()).toEqual([
        'caseId',
        'cause',
        'channel',
        'letterId',
        'status',
        'version',
      ]);
    } finally {
      await receiver.close();
    }
  }, 180_000);

  it('a failing receiver does not hold up another; deleting its subscription ends the retries', async () => {
    const { tenant, auth } = await tenantForTests(db);
    const good = await new Receiver(() => 'accept').start();
    const bad = await new Receiver(() => 'fail').start();
    try {
      const goodSub = (await (await post('/v1/webhooks', auth, { url: good.url })).json()) as {
        secret: string;
      };
      good.secret = goodSub.secret;
      const badSub = (await (await post('/v1/webhooks', auth, { url: bad.url })).json()) as { id: string };
      const kicker = { db, temporal: client, taskQueue, idle: '1 second' };
      const letterId = randomUUID();
      for (const status of ['RECEIVED', 'SENT_DIGITAL']) {
        await enqueueLetterWebhook(db, {
          tenantId: tenant.id,
          letterId,
          eventId: randomUUID(),
          caseId: 'SAK-10',
          status,
          cause: status,
          at: new Date(),
        });
        await kickLetterWebhooks(kicker, letterId);
        // the second event comes while the bad receiver keeps failing the first: it must not wait for it
        if (status === 'RECEIVED') await until('the bad receiver was tried', () => bad.attempts >= 1);
      }
      await until('the good receiver has both events', () => good.accepted.length === 2);
      await until('the bad receiver was tried twice', () => bad.attempts >= 2);
      const del = await fetch(`${base}/v1/webhooks/${badSub.id}`, { method: 'DELETE', headers: auth });
      expect(del.status).toBe(204);
      // With the subscription gone the next retry cancels instead of sending, and the workflow completes.
      await client.workflow.getHandle(letterWebhooksWorkflowId(letterId)).result();
      const rows = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.letterId, letterId));
      expect(rows.map((r) => r.status).sort()).toEqual(['CANCELLED', 'CANCELLED', 'DELIVERED', 'DELIVERED']);
      expect(good.accepted.map((r) => r.status)).toEqual(['RECEIVED', 'SENT_DIGITAL']);
    } finally {
      await good.close();
      await bad.close();
    }
  }, 180_000);

  it('kicks nothing for a letter without subscriptions', async () => {
    const letterId = randomUUID();
    await kickLetterWebhooks({ db, temporal: client, taskQueue }, letterId);
    await expect(client.workflow.getHandle(letterWebhooksWorkflowId(letterId)).describe()).rejects.toThrow(
      /not found/i,
    );
  });
});

describe('webhook destinations in production', () => {
  let prod: Server;
  let prodBase: string;

  beforeAll(async () => {
    const app = createApp({
      db,
      temporal: client,
      taskQueue,
      logger: pino({ level: 'silent' }),
      allowHttpLocalhostWebhooks: false,
      webhookDestinations: 'public',
      maxWebhooks: 3,
    });
    prod = app.listen(0, '127.0.0.1');
    await new Promise((r) => prod.once('listening', r));
    const addr = prod.address();
    prodBase = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  });
  afterAll(() => void prod?.close());

  const register = (auth: object, url: string) =>
    fetch(`${prodBase}/v1/webhooks`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...auth },
      body: JSON.stringify({ url }),
    });

  it('refuses loopback, private, link-local and mapped addresses in every spelling, and names resolving inside', async () => {
    const { auth } = await tenantForTests(db);
    for (const url of [
      'https://127.0.0.1/hook',
      'https://[::1]/hook',
      'https://169.254.169.254/latest/meta-data/',
      'https://10.0.0.1/hook',
      'https://172.16.5.4/hook',
      'https://192.168.1.1/hook',
      'https://100.64.0.1/hook',
      'https://0.0.0.0/hook',
      'https://2130706433/hook',
      'https://0x7f.1/hook',
      'https://0177.0.0.1/hook',
      'https://127.1/hook',
      'https://[::ffff:127.0.0.1]/hook',
      'https://[::ffff:169.254.169.254]/hook',
      'https://[fe80::1]/hook',
      'https://[fd00::1]/hook',
      'https://localhost/hook', // a name: refused after resolving it (to loopback)
      `https://${hostname()}/hook`, // this machine's own name
      'http://localhost/hook',
    ]) {
      const res = await register(auth, url);
      expect(res.status, url).toBe(400);
      const problem = (await res.json()) as { error: { message: string } };
      expect(problem.error.message, url).toMatch(/^url: /);
    }
    expect((await register(auth, 'https://203.0.114.9/hook')).status).toBe(201);
  });

  it('limits the subscriptions of one tenant', async () => {
    const { auth } = await tenantForTests(db);
    for (let i = 0; i < 3; i++)
      expect((await register(auth, `https://hooks${i}.example/x`)).status).toBe(201);
    const over = await register(auth, 'https://hooks9.example/x');
    expect(over.status).toBe(409);
    expect(((await over.json()) as { error: { code: string } }).error.code).toBe('WEBHOOK_LIMIT');
  });

  it('checks again at delivery, after resolving the name: one that now resolves inside is not sent to', async () => {
    const { tenant } = await tenantForTests(db);
    const receiver = await new Receiver(() => 'accept').start();
    try {
      // registered while its name pointed outside; it now resolves to this machine (localhost → 127.0.0.1)
      const port = new URL(receiver.url).port;
      const sub = (await createWebhookSubscription(db, {
        tenantId: tenant.id,
        url: `https://localhost:${port}/hook`,
      }))!;
      const letterId = randomUUID();
      await enqueueLetterWebhook(db, {
        tenantId: tenant.id,
        letterId,
        eventId: randomUUID(),
        caseId: 'SAK-11',
        status: 'QUEUED',
        cause: 'queued',
        at: new Date(),
      });
      const [delivery] = await db
        .select()
        .from(webhookDeliveries)
        .where(eq(webhookDeliveries.subscriptionId, sub.id));
      const activities = createWebhookActivities({ db, destinations: 'public' });
      await expect(activities.deliverWebhook(delivery!.id)).rejects.toThrow(/not a public address/);
      const [after] = await db.select().from(webhookDeliveries).where(eq(webhookDeliveries.id, delivery!.id));
      expect(after!.status).toBe('PENDING');
      expect(after!.lastError).toMatch(/destination refused: localhost is not a public address/);
      expect(receiver.attempts).toBe(0);
    } finally {
      await receiver.close();
    }
  });
});
