// The full Temporal server (go.temporal.io/server, built by scripts/ensure-temporal-server.sh) on PostgreSQL, as
// `npm run start:cluster` runs it: schema set up by Temporal's own temporal-sql-tool, the server from a config
// file written here, the namespace registered, and the standalone Web UI. docker-compose.yml runs the same steps.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import proto from '@temporalio/proto';
import { SEARCH_ATTRIBUTES } from '../workflows/search-attributes';
import type { DevServer } from './dev-server';

const ensureScript = fileURLToPath(new URL('../scripts/ensure-temporal-server.sh', import.meta.url));

export interface ClusterSql {
  host: string;
  port: number;
  user: string;
  password: string;
  database: string;
  visibilityDatabase: string;
}

/** The TEMPORAL_SQL_* settings, each falling back to the application's own database server and login. */
export function clusterSqlFrom(
  env: {
    TEMPORAL_SQL_HOST?: string;
    TEMPORAL_SQL_PORT?: number;
    TEMPORAL_SQL_USER?: string;
    TEMPORAL_SQL_PASSWORD?: string;
    TEMPORAL_SQL_DATABASE: string;
    TEMPORAL_SQL_VISIBILITY_DATABASE: string;
  },
  databaseUrl: string,
): ClusterSql {
  const app = new URL(databaseUrl);
  return {
    host: env.TEMPORAL_SQL_HOST ?? app.hostname,
    port: env.TEMPORAL_SQL_PORT ?? Number(app.port || 5432),
    user: env.TEMPORAL_SQL_USER ?? decodeURIComponent(app.username),
    password: env.TEMPORAL_SQL_PASSWORD ?? decodeURIComponent(app.password),
    database: env.TEMPORAL_SQL_DATABASE,
    visibilityDatabase: env.TEMPORAL_SQL_VISIBILITY_DATABASE,
  };
}

export interface ClusterOptions {
  sql: ClusterSql;
  /** Frontend gRPC port; the other services take the ports beside it (README "npm run start:cluster"). */
  port: number;
  /** The standalone Web UI's port; none when undefined or when the UI could not be built. */
  uiPort?: number;
  codecEndpoint?: string;
  historyShards: number;
  namespace: string;
  /** Config, dynamic config and logs go here. */
  dir: string;
  log: (line: string) => void;
}

/** The directory holding temporal-server, temporal-sql-tool and (when it built) temporal-ui-server. */
export function temporalServerDir(): string {
  return execFileSync('bash', [ensureScript], { stdio: ['ignore', 'pipe', 'inherit'] })
    .toString()
    .trim();
}

/** Temporal's own schema tool, in the order of the server's Makefile target install-schema-postgresql12. */
export function setupClusterSchema(bin: string, sql: ClusterSql): void {
  const tool = join(bin, 'temporal-sql-tool');
  const env = { ...process.env, SQL_PASSWORD: sql.password };
  for (const [db, schema] of [
    [sql.database, 'postgresql/v12/temporal'],
    [sql.visibilityDatabase, 'postgresql/v12/visibility'],
  ] as const) {
    const base = ['--ep', sql.host, '-p', String(sql.port), '-u', sql.user, '--pl', 'postgres12', '--db', db];
    // each step is safe to repeat: an existing database, version table or schema version is left as it is
    for (const step of [
      ['create-database'],
      ['setup-schema', '-v', '0.0'],
      ['update-schema', '--schema-name', schema],
    ])
      execFileSync(tool, [...base, ...step], { env, stdio: ['ignore', 'ignore', 'pipe'] });
  }
}

function serverConfig(o: ClusterOptions, dynamicConfig: string): string {
  const p = o.port;
  const store = (db: string, conns: number) =>
    `      sql: { pluginName: postgres12, databaseName: ${JSON.stringify(db)}, connectAddr: "${o.sql.host}:${o.sql.port}", ` +
    `connectProtocol: tcp, user: ${JSON.stringify(o.sql.user)}, password: ${JSON.stringify(o.sql.password)}, ` +
    `maxConns: ${conns}, maxIdleConns: ${conns}, maxConnLifetime: 1h }`;
  const svc = (name: string, grpc: number, membership: number, extra = '') =>
    `  ${name}: { rpc: { grpcPort: ${grpc}, membershipPort: ${membership}, bindOnLocalHost: true${extra} } }`;
  // Ports: 7233/7234/7235/7239 and 6933… in Temporal's defaults, shifted with the frontend port.
  return [
    'log: { stdout: true, level: warn }',
    'persistence:',
    '  defaultStore: pg-default',
    '  visibilityStore: pg-visibility',
    `  numHistoryShards: ${o.historyShards}`,
    '  datastores:',
    '    pg-default:',
    // per service (frontend, history, matching, worker): 4 × 6 connections at most on a shared PostgreSQL
    store(o.sql.database, 5),
    '    pg-visibility:',
    store(o.sql.visibilityDatabase, 1),
    'global:',
    '  membership: { maxJoinDuration: 30s, broadcastAddress: "127.0.0.1" }',
    'services:',
    svc('frontend', p, p - 300, `, httpPort: ${p + 10}`),
    svc('history', p + 1, p - 299),
    svc('matching', p + 2, p - 298),
    svc('worker', p + 6, p - 294),
    'clusterMetadata:',
    '  enableGlobalNamespace: false',
    '  failoverVersionIncrement: 10',
    '  masterClusterName: active',
    '  currentClusterName: active',
    `  clusterInformation: { active: { enabled: true, initialFailoverVersion: 1, rpcName: frontend, rpcAddress: "127.0.0.1:${p}" } }`,
    'dcRedirectionPolicy: { policy: noop }',
    `dynamicConfigClient: { filepath: ${JSON.stringify(dynamicConfig)}, pollInterval: 10s }`,
    '',
  ].join('\n');
}

/** The server's dynamic config, shared with docker-compose.yml. */
const dynamicConfigFile = fileURLToPath(new URL('./dynamicconfig.yaml', import.meta.url));

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
    setTimeout(() => child.kill('SIGKILL'), 10_000).unref();
  });
}

/** Registers the namespace once (ALREADY_EXISTS is what a second start sees). */
export async function ensureNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs('3 days'),
        });
        return;
      } catch (e) {
        const code = (e as { code?: number }).code;
        if (code === 6 /* ALREADY_EXISTS */) return;
        // the frontend answers before the history shards are owned: UNAVAILABLE for a few seconds
        if (code !== 14 || attempt >= 60) throw e;
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
  } finally {
    await connection.close();
  }
}

/**
 * Registers the custom search attributes the workflows set (workflows/search-attributes.ts), those missing
 * only: the same as `temporal operator search-attribute create --name TenantId --type Keyword …`.
 */
export async function ensureSearchAttributes(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing = SEARCH_ATTRIBUTES.filter((k) => !(k.name in (customAttributes ?? {})));
    if (missing.length === 0) return;
    await connection.operatorService.addSearchAttributes({
      namespace,
      searchAttributes: Object.fromEntries(
        missing.map((k) => [k.name, proto.temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD]),
      ),
    });
  } finally {
    await connection.close();
  }
}

export async function startCluster(o: ClusterOptions): Promise<DevServer> {
  // the server keeps its services' ports in a PostgreSQL smallint (cluster_membership.rpc_port)
  if (o.port < 301 || o.port + 10 > 32767)
    throw new Error(
      `TEMPORAL_ADDRESS port ${o.port}: the full server needs 301…32757 (its ports are smallints)`,
    );
  const bin = temporalServerDir();
  mkdirSync(o.dir, { recursive: true });
  o.log(`Temporal schema on ${o.sql.host}:${o.sql.port} (${o.sql.database}, ${o.sql.visibilityDatabase})`);
  setupClusterSchema(bin, o.sql);
  writeFileSync(join(o.dir, 'temporal.yaml'), serverConfig(o, dynamicConfigFile), { mode: 0o600 });
  const serverLog = createWriteStream(join(o.dir, 'temporal-server.log'), { flags: 'a' });
  const server = spawn(
    join(bin, 'temporal-server'),
    ['--config-file', join(o.dir, 'temporal.yaml'), '--allow-no-auth', 'start'],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  server.stdout?.pipe(serverLog);
  server.stderr?.pipe(serverLog);
  const children: ChildProcess[] = [server];
  const stop = async () => {
    for (const c of children.reverse()) await stopChild(c);
    serverLog.end();
  };
  const deadline = Date.now() + 120_000;
  while (!(await portOpen(o.port))) {
    if (server.exitCode !== null || Date.now() > deadline) {
      await stop();
      throw new Error(`temporal-server did not start; see ${join(o.dir, 'temporal-server.log')}`);
    }
    await new Promise((r) => setTimeout(r, 300));
  }
  const address = `127.0.0.1:${o.port}`;
  await ensureNamespace(address, o.namespace);
  await ensureSearchAttributes(address, o.namespace);

  let uiUrl: string | undefined;
  const uiBin = join(bin, 'temporal-ui-server');
  if (o.uiPort && existsSync(uiBin)) {
    const uiDir = join(o.dir, 'ui');
    mkdirSync(uiDir, { recursive: true });
    writeFileSync(
      join(uiDir, 'cluster.yaml'),
      [
        `temporalGrpcAddress: ${address}`,
        `host: 127.0.0.1`,
        `port: ${o.uiPort}`,
        'enableUi: true',
        `defaultNamespace: ${o.namespace}`,
        'disableNewsFetch: true',
        ...(o.codecEndpoint ? ['codec:', `  endpoint: ${o.codecEndpoint}`] : []),
        '',
      ].join('\n'),
    );
    const ui = spawn(uiBin, ['--root', o.dir, '--config', 'ui', '--env', 'cluster', 'start'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    ui.stdout?.pipe(serverLog);
    ui.stderr?.pipe(serverLog);
    children.push(ui);
    uiUrl = `http://127.0.0.1:${o.uiPort}`;
  } else if (o.uiPort) {
    o.log('no temporal-ui-server built; browse the cluster with the CLI: temporal --address ' + address);
  }
  return { address, uiUrl, stop };
}
