// `npm start`: the whole system locally with embedded defaults: PostgreSQL (embedded unless DATABASE_URL is
// set), the Temporal dev server with its Web UI, the worker and the API. A worker or API that dies is started
// again (scripts/supervise.ts) while the rest stays up. Ctrl-C stops everything.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { loadEnv } from '../config/env';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { startDevServer, type DevServer } from '../temporal/dev-server';
import { startDigipostSimulator, type DigipostSimulator } from '../simulators/digipost/server';
import { openDatabase } from '../db/connection';
import { issueApiKey, upsertTenant } from '../db/tenants';
import { upsertOperator } from '../db/operators';
import { startInboundDemo, type InboundDemo } from './inbound-demo';
import { clusterSqlFrom, startCluster } from '../temporal/cluster';
import { supervise, type Supervised } from './supervise';

const env = loadEnv();
const TEMPORAL_PORT = Number(env.TEMPORAL_ADDRESS.split(':')[1] ?? 7233);
const say = (m: string) => process.stdout.write(`[postgang] ${m}\n`);
// `npm run start:cluster`: the full Temporal server on PostgreSQL and CLUSTER_WORKERS worker processes.
const cluster = process.argv.includes('--cluster');

let embedded: EmbeddedDatabase | undefined;
let temporal: DevServer | undefined;
let digipost: DigipostSimulator | undefined;
let inbound: InboundDemo | undefined;
const children: Supervised[] = [];
let stopping = false;

async function stopAll(code: number): Promise<never> {
  if (!stopping) {
    stopping = true;
    say('stopping…');
    await Promise.all(children.map((c) => c.stop()));
    await digipost?.close();
    await inbound?.close();
    await temporal?.stop();
    await embedded?.stop();
    say('stopped');
  }
  process.exit(code);
}
// `on`, not `once`: under tsx a Ctrl-C arrives twice (from the terminal and relayed by tsx), and a second
// signal without a handler would kill this process in the middle of its orderly stop.
process.on('SIGINT', () => void stopAll(0));
process.on('SIGTERM', () => void stopAll(0));

try {
  mkdirSync('.data', { recursive: true });
  let databaseUrl = env.DATABASE_URL;
  if (!databaseUrl) {
    say(`starting embedded PostgreSQL in ${env.EMBEDDED_PG_DIR}`);
    embedded = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT, { ownSignals: true });
    databaseUrl = embedded.url;
  }
  // A demo tenant with a Digipost agreement and a known local API key, so the API can be tried at once.
  const seed = await openDatabase(databaseUrl);
  await upsertTenant(seed.db, {
    id: 'demo',
    name: 'Postgang demo kommune',
    orgNumber: '999999999',
    digipostAgreement: 'ACTIVE',
    returnAddress: {
      name: env.RETURN_ADDRESS_NAME,
      lines: [env.RETURN_ADDRESS_LINE],
      postalCode: env.RETURN_ADDRESS_POSTAL_CODE,
      city: env.RETURN_ADDRESS_CITY,
    },
  });
  await issueApiKey(seed.db, 'demo', 'npm start demo key', env.DEMO_API_KEY);
  await upsertOperator(seed.db, {
    tenantId: 'demo',
    username: 'operator',
    password: env.DEMO_OPERATOR_PASSWORD,
  });
  // Inbound: SvarInn and archive simulators, an SMTP catcher, a demo receiving system with one letter waiting.
  inbound = await startInboundDemo({
    db: seed.db,
    tenantId: 'demo',
    orgNumber: '999999999',
    secretsKey: env.INBOUND_SECRETS_KEY,
    mailDir: '.data/mail',
    archiveMode: env.ARCHIVE_SIMULATOR_MODE,
  });
  await seed.close();
  if (cluster) {
    say('starting the full Temporal server on PostgreSQL (the first run builds it: about 13 minutes)');
    temporal = await startCluster({
      sql: clusterSqlFrom(env, databaseUrl),
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_PORT + 1000,
      codecEndpoint: `http://127.0.0.1:${env.API_PORT}/codec`,
      historyShards: env.TEMPORAL_HISTORY_SHARDS,
      namespace: env.TEMPORAL_NAMESPACE,
      dir: '.data/cluster',
      log: say,
    });
  } else {
    say('starting the Temporal dev server (the first run builds the CLI: about 10 minutes)');
    temporal = await startDevServer({
      port: TEMPORAL_PORT,
      uiPort: TEMPORAL_PORT + 1000,
      dbFile: '.data/temporal.sqlite',
      codecEndpoint: `http://127.0.0.1:${env.API_PORT}/codec`, // the UI decrypts history through the API
    });
  }
  // The local Digipost simulator, with a broker key made on first start and a small demo population.
  if (!existsSync(env.DIGIPOST_PRIVATE_KEY_FILE)) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    writeFileSync(env.DIGIPOST_PRIVATE_KEY_FILE, privateKey.export({ type: 'pkcs8', format: 'pem' }), {
      mode: 0o600,
    });
  }
  digipost = await startDigipostSimulator();
  digipost.addBroker(
    env.DIGIPOST_BROKER_ID,
    createPublicKey(readFileSync(env.DIGIPOST_PRIVATE_KEY_FILE, 'utf8'))
      .export({ type: 'spki', format: 'pem' })
      .toString(),
  );
  digipost.setPerson('01019010046', { kind: 'DIGIPOST' });
  digipost.setPerson('01019010127', { kind: 'IDENTIFIED' });
  const childEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    TEMPORAL_ADDRESS: temporal.address,
    DIGIPOST_BASE_URL: digipost.url,
    TEMPORAL_UI_URL: temporal.uiUrl,
    // locally, status questions are asked in seconds rather than minutes
    RUN_DELIVERY_POLL_INTERVAL: process.env.RUN_DELIVERY_POLL_INTERVAL ?? '5 seconds',
    DIGIPOST_EVENTS_INTERVAL: process.env.DIGIPOST_EVENTS_INTERVAL ?? '10 seconds',
    ...inbound.env,
    CODEC_CORS_ORIGINS: `${temporal.uiUrl},http://localhost:${TEMPORAL_PORT + 1000}`, // the UI's origins
  };
  const workers = cluster ? env.CLUSTER_WORKERS : 1;
  const parts = [...Array.from({ length: workers }, () => 'worker' as const), 'api' as const];
  for (const [i, part] of parts.entries()) {
    // each worker its own /metrics and /ready port (and the SDK exporter's beside it): 9464, 9466, …
    const metricsBase = env.WORKER_HTTP_PORT ?? (cluster ? 9464 : undefined);
    const ports = part === 'worker' && metricsBase ? { WORKER_HTTP_PORT: String(metricsBase + 2 * i) } : {};
    // a worker or the API that dies is started again with backoff (scripts/supervise.ts); the rest stays up
    children.push(
      supervise(
        workers > 1 && part === 'worker' ? `worker ${i + 1}` : part,
        process.execPath,
        ['--import', 'tsx', `${part}/main.ts`],
        { env: { ...childEnv, ...ports }, stdio: 'inherit' },
        say,
      ),
    );
  }
  say(
    `API            http://127.0.0.1:${env.API_PORT}  (POST /v1/letters, POST /v1/runs, GET /openapi.json)`,
  );
  say(`API key (tenant "demo") ${env.DEMO_API_KEY}  → Authorization: Bearer <key>`);
  say(
    `Admin panel    http://127.0.0.1:${env.API_PORT}/admin/  (log in as operator / ${env.DEMO_OPERATOR_PASSWORD})`,
  );
  say(`Temporal Web UI ${temporal.uiUrl}`);
  say(`Temporal gRPC   ${temporal.address}${cluster ? ` (full server, ${workers} workers)` : ''}`);
  if (cluster)
    for (let i = 0; i < workers; i++)
      say(
        `Worker ${i + 1} metrics http://127.0.0.1:${(env.WORKER_HTTP_PORT ?? 9464) + 2 * i}/metrics  (/ready)`,
      );
  say(`API metrics    http://127.0.0.1:${env.API_PORT}/metrics  (/ready)`);
  say(`Digipost simulator ${digipost.url} (what it received: /admin/messages)`);
  for (const line of inbound.lines) say(line);
  say('Ctrl-C stops everything');
} catch (e) {
  process.stderr.write(`[postgang] start failed: ${(e as Error).message}\n`);
  await stopAll(1);
}
