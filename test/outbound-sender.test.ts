// A tenant's own Digipost sender id: the broker sends on its behalf (the batch, the messages and document
// status live under that sender); a sender the broker may not act for fails the run's letters with a reason.
import { beforeAll, describe, expect, it } from 'vitest';
import { createPublicKey } from 'node:crypto';
import { DIGIPOST_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';

const sys = useTestSystem();

beforeAll(async () => {
  // the broker is authorised to send for sender 5555 only
  const publicKey = createPublicKey(sys.brokerKeyPem).export({ type: 'spki', format: 'pem' }).toString();
  sys.sim.addBroker('9999', publicKey, { senders: ['5555'] });
}, 180_000);

const sendOneRun = async (auth: { authorization: string }) => {
  const { id } = await sys.json<{ id: string }>('/v1/letters', {
    body: letterRequest(DIGIPOST_USER),
    headers: auth,
  });
  await until(
    'queued',
    async () =>
      (await sys.json<{ status: string }>(`/v1/letters/${id}`, { headers: auth })).status === 'QUEUED',
  );
  const run = await sys.json<{ id: string }>('/v1/runs', { body: {}, headers: auth });
  return { id, runId: run.id };
};

describe("a tenant's own Digipost sender", () => {
  it('sends on behalf of the sender the broker is authorised for', async () => {
    const { auth } = await sys.newTenant({ digipostSenderId: '5555' });
    const { id, runId } = await sendOneRun(auth);
    await until(
      'sent',
      async () =>
        (await sys.json<{ status: string }>(`/v1/letters/${id}`, { headers: auth })).status ===
        'SENT_DIGITAL',
    );
    const batch = sys.sim.batches().find((b) => b.uuid === runId);
    expect(batch).toBeDefined();
    const messages = sys.sim.messages.filter((m) => m.batchUuid === runId);
    expect(messages.map((m) => m.senderId)).toEqual(['5555']);
  });

  it('fails the run with a reason when the broker may not send for the sender', async () => {
    const { auth } = await sys.newTenant({ digipostSenderId: '6666' });
    const { id, runId } = await sendOneRun(auth);
    const letter = await until('not sent', async () => {
      const l = await sys.json<{ status: string; failure: { code: string; reason: string } }>(
        `/v1/letters/${id}`,
        {
          headers: auth,
        },
      );
      return l.status === 'NOT_SENT' && l;
    });
    expect(letter.failure.reason).toMatch(/på vegne av|avsender/);
    // the simulator accepts the batch itself (its XML names no sender) and refuses each message; a Digipost
    // refusing the batch instead ends the run FAILED: either way the letters are Ikke sendt with the reason
    const run = await until('run ended', async () => {
      const r = await sys.json<{ status: string; counts: { notSent: number } }>(`/v1/runs/${runId}`, {
        headers: auth,
      });
      return ['DONE', 'FAILED'].includes(r.status) && r;
    });
    expect(run.counts.notSent).toBe(1);
    expect(sys.sim.messages.filter((m) => m.batchUuid === runId)).toEqual([]);
  });

  it('ends the run FAILED, its letters Ikke sendt with the reason, when Digipost refuses the batch itself', async () => {
    const { auth } = await sys.newTenant();
    sys.sim.fault({
      kind: 'status',
      status: 403,
      code: 'BROKER_NOT_AUTHORIZED',
      method: 'POST',
      path: '/batch',
      times: 1,
    });
    const { id, runId } = await sendOneRun(auth);
    const run = await until('run failed', async () => {
      const r = await sys.json<{ status: string; counts: { notSent: number } }>(`/v1/runs/${runId}`, {
        headers: auth,
      });
      return r.status === 'FAILED' && r;
    });
    expect(run.counts.notSent).toBe(1);
    const letter = await sys.json<{ status: string; failure: { code: string } }>(`/v1/letters/${id}`, {
      headers: auth,
    });
    expect(letter.failure.code).toBe('BROKER_NOT_AUTHORIZED');
  });
});
