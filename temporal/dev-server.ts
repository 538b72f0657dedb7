// Starts the Temporal CLI dev server (found or built by scripts/ensure-temporal-cli.sh) as a child process.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createConnection } from 'node:net';
import { fileURLToPath } from 'node:url';
import { searchAttributeFlags } from '../workflows/search-attributes';

export interface DevServer {
  address: string;
  uiUrl?: string;
  /** The server's process, when it is one of ours (the CLI dev server): the bench reads its CPU time. */
  pid?: number;
  stop: () => Promise<void>;
}

const ensureScript = fileURLToPath(new URL('../scripts/ensure-temporal-cli.sh', import.meta.url));

/** The CLI's path, or undefined when there is none and no Go to build one (the script exits 3). */
export function temporalCliPath(): string | undefined {
  try {
    return execFileSync('bash', [ensureScript], { stdio: ['ignore', 'pipe', 'inherit'] })
      .toString()
      .trim();
  } catch (e) {
    if ((e as { status?: number }).status === 3) return undefined;
    throw e;
  }
}

/** Without a CLI and without Go: the SDK's own download of the dev server (needs internet). */
async function startWithSdkDownload(opts: {
  port: number;
  uiPort?: number;
  dbFile?: string;
}): Promise<DevServer> {
  const { TestWorkflowEnvironment } = await import('@temporalio/testing');
  const extraArgs = [...searchAttributeFlags(), ...(opts.dbFile ? ['--db-filename', opts.dbFile] : [])];
  const env = await TestWorkflowEnvironment.createLocal({
    server: { ip: '127.0.0.1', port: opts.port, ui: Boolean(opts.uiPort), uiPort: opts.uiPort, extraArgs },
  });
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    stop: () => env.teardown(),
  };
}

function portOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = createConnection({ host: '127.0.0.1', port });
    s.once('connect', () => (s.destroy(), resolve(true)));
    s.once('error', () => resolve(false));
  });
}

export async function startDevServer(opts: {
  port: number;
  uiPort?: number;
  dbFile?: string;
  codecEndpoint?: string;
  /** `--dynamic-config-value KEY=JSON` pairs, e.g. `{ 'history.timerProcessorMaxTimeShift': '10ms' }`. */
  dynamicConfig?: Record<string, unknown>;
  /** Serve the server's Prometheus metrics on this port (the bench counts requests per letter there). */
  metricsPort?: number;
}): Promise<DevServer> {
  const args = [
    'server',
    'start-dev',
    '--ip',
    '127.0.0.1',
    '--port',
    String(opts.port),
    '--log-level',
    'warn',
    // the workflows set these (workflows/search-attributes.ts); a dev server starts without custom ones
    ...searchAttributeFlags(),
  ];
  if (opts.uiPort) args.push('--ui-port', String(opts.uiPort), '--ui-disable-news-fetch');
  else args.push('--headless');
  if (opts.dbFile) args.push('--db-filename', opts.dbFile, '--sqlite-pragma', 'journal_mode=WAL');
  if (opts.codecEndpoint) args.push('--ui-codec-endpoint', opts.codecEndpoint);
  for (const [key, value] of Object.entries(opts.dynamicConfig ?? {}))
    args.push('--dynamic-config-value', `${key}=${JSON.stringify(value)}`);
  if (opts.metricsPort) args.push('--metrics-port', String(opts.metricsPort));
  const cli = temporalCliPath();
  if (!cli) return startWithSdkDownload(opts);
  const child: ChildProcess = spawn(cli, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  // The server's own log is noisy at shutdown; keep its tail for error messages instead of printing it.
  let tail = '';
  child.stderr?.on('data', (b: Buffer) => (tail = (tail + b.toString()).slice(-4000)));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const deadline = Date.now() + 60_000;
  while (!(await portOpen(opts.port))) {
    if (child.exitCode !== null)
      throw new Error(`Temporal dev server exited with code ${child.exitCode}:\n${tail}`);
    if (Date.now() > deadline)
      throw new Error(`Temporal dev server did not open its port within 60 s:\n${tail}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  return {
    address: `127.0.0.1:${opts.port}`,
    uiUrl: opts.uiPort ? `http://127.0.0.1:${opts.uiPort}` : undefined,
    pid: child.pid,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
