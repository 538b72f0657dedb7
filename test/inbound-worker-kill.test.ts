// Durability of intake: the worker process is SIGKILLed after an item is stored and while its kvitterMottak
// is in flight (SvarInn holds the request unanswered and unapplied), then a new worker starts. The item is
// stored once, downloaded once and acknowledged once.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eq } from 'drizzle-orm';
import { openDatabase, type Db } from '../db/connection';
import { inboundFiles, inboundItems } from '../db/schema';
import { createSecretBox } from '../db/secret-box';
import { createReceivingSystem, updateReceivingSystem } from '../db/receiving-systems';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { startSvarInnSimulator, type SvarInnSimulator } from '../simulators/svarinn/server';
import { registerTestSystem } from './support/svarinn';
import { tenantForTests } from './support/tenants';
import { until } from './support/until';

// Fresh per run: the test database outlives a run, and an organisation number can be registered once.
const ORG = `9${String(Math.floor(Math.random() * 1e8)).padStart(8, '0')}`;
const secretsKey = randomBytes(32).toString('base64');
const taskQueue = `inbound-kill-${randomUUID()}`;

let temporal: DevServer;
let db: Db;
let closeDb: () => Promise<void>;
let svarinn: SvarInnSimulator;
let keyFile: string;

function startWorker(): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', 'worker/main.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: inject('databaseUrl'),
      TEMPORAL_ADDRESS: temporal.address,
      TEMPORAL_TASK_QUEUE: taskQueue,
      DIGIPOST_PRIVATE_KEY_FILE: keyFile,
      SVARINN_BASE_URL: svarinn.url,
      SVARINN_POLL_INTERVAL_SECONDS: '0.5',
      INBOUND_SECRETS_KEY: secretsKey,
      LOG_LEVEL: 'warn',
      // no letters here; other test files' letters (same database) are theirs to sweep
      LETTER_SWEEP_TENANTS: `none-${taskQueue}`,
    },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

beforeAll(async () => {
  temporal = await startDevServer({ port: 21233 + Math.floor(Math.random() * 1000) });
  ({ db, close: closeDb } = await openDatabase(inject('databaseUrl')));
  svarinn = await startSvarInnSimulator();
  keyFile = join(mkdtempSync(join(tmpdir(), 'postgang-key-')), 'broker.pem');
  writeFileSync(
    keyFile,
    generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }),
  );
}, 180_000);

afterAll(async () => {
  await svarinn?.close();
  await closeDb?.();
  await temporal?.stop();
});

describe('worker killed between storing and acknowledging an item', () => {
  it('stores the item once and acknowledges it once after restart', async () => {
    const system = registerTestSystem(svarinn, [{ orgnr: ORG }]);
    const { tenant } = await tenantForTests(db);
    const created = await createReceivingSystem(db, createSecretBox(secretsKey), tenant.id, {
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
      await updateReceivingSystem(db, createSecretBox(secretsKey), tenant.id, created.id, { active: false });
      second.kill('SIGTERM');
      await secondExit;
    }
  }, 150_000);
});
