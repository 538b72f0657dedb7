// Durability of intake: the worker process is SIGKILLed after an item is stored and while its kvitterMottak
// is in flight (SvarInn holds the request unanswered and unapplied), then a new worker starts. The item is
// stored once, downloaded once and acknowledged once.
import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { inboundFiles, inboundItems } from '../db/schema';
import { createReceivingSystem, updateReceivingSystem } from '../db/receiving-systems';
import { registerTestSystem } from './support/svarinn';
import { tenantForTests } from './support/tenants';
import { until, useTestSystem } from './support/system';
import { workerProcesses } from './support/worker-process';

// Fresh per run: the test database outlives a run, and an organisation number can be registered once.
const ORG = `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;

// the worker runs as its own process, so that it can be killed
const sys = useTestSystem({ withWorker: false, inbound: {} });
const startWorker = () =>
  workerProcesses(sys, {
    SVARINN_BASE_URL: sys.svarinn.url,
    SVARINN_POLL_INTERVAL_SECONDS: '0.5',
    INBOUND_SECRETS_KEY: sys.secretsKey,
  })().child;

describe('worker killed between storing and acknowledging an item', () => {
  it('stores the item once and acknowledges it once after restart', async () => {
    const { db, svarinn, secrets } = sys;
    const system = registerTestSystem(svarinn, [{ orgnr: ORG }]);
    const { tenant } = await tenantForTests(db);
    const created = await createReceivingSystem(db, secrets, tenant.id, {
      name: 'Sakssystem',
      username: system.username,
      password: system.password,
      privateKeyPem: system.privateKeyPem,
      orgNumbers: [ORG],
    });
    // SvarInn holds the first kvitterMottak without applying it; the worker dies while waiting for it.
    svarinn.injectFault({ endpoint: 'ack', delayMs: 120_000 });
    const id = svarinn.inject({
      tittel: 'Søknad',
      orgnr: ORG,
      files: [
        { filnavn: 'soknad.pdf', content: randomBytes(4000) },
        { filnavn: 'vedlegg.pdf', content: randomBytes(3000) },
      ],
    });
    const stored = async () =>
      (await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, id)))[0];

    const first = startWorker();
    const firstExit = new Promise((r) => first.once('exit', r));
    await until('the item to be stored', async () => Boolean((await stored())?.storedAt));
    // The ack follows the store at once; give it a moment to be on the wire, then kill.
    await new Promise((r) => setTimeout(r, 1000));
    first.kill('SIGKILL');
    await firstExit;
    expect(svarinn.item(id)).toMatchObject({ state: 'KLAR_FOR_MOTTAK', acknowledgements: 0 });
    expect((await stored())!.acknowledgedAt).toBeNull();

    const second = startWorker();
    const secondExit = new Promise((r) => second.once('exit', r));
    try {
      await until('SvarInn to record the acknowledgement', () => svarinn.item(id)!.state === 'LEST', 90_000);
      await until('the item to await triage', async () => (await stored())!.status === 'AWAITING_TRIAGE');
      expect(svarinn.item(id)).toMatchObject({ acknowledgements: 1, downloads: 1 });
      const rows = await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, id));
      expect(rows).toHaveLength(1);
      const files = await db.select().from(inboundFiles).where(eq(inboundFiles.itemId, rows[0]!.id));
      expect(files.map((f) => f.filename).sort()).toEqual(['soknad.pdf', 'vedlegg.pdf']);
    } finally {
      await updateReceivingSystem(db, secrets, tenant.id, created.id, { active: false });
      second.kill('SIGTERM');
      await secondExit;
    }
  }, 150_000);
});
