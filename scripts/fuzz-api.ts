// `npm run fuzz`: a bounded, schema-driven fuzz run of the API with schemathesis (PyPI, pinned below), with
// all its checks and a fixed seed, against the whole system started here on its own ports (scripts/start.ts:
// PostgreSQL, Temporal, worker, API, simulators) with a second tenant, as whom the fuzzer calls: the demo
// tenant's letters and items are then another tenant's, and must stay invisible. Exits non-zero on any
// failure or when fewer than FUZZ_MIN_REQUESTS requests were made. Webhook deliveries go only to loopback
// (WEBHOOK_LOOPBACK_ONLY): the fuzzer registers URLs of hosts that are not ours.
//   DATABASE_URL=… npm run fuzz            (without DATABASE_URL: an embedded PostgreSQL in a temporary folder)
//   FUZZ_SEED, FUZZ_MAX_EXAMPLES, FUZZ_MIN_REQUESTS, FUZZ_API_PORT, FUZZ_TEMPORAL_PORT change the defaults.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';
import { openDatabase } from '../db/connection';
import { issueApiKey, upsertTenant } from '../db/tenants';

const SCHEMATHESIS = 'schemathesis==4.32.5';
const num = (v: string | undefined, d: number) => (v ? Number(v) : d);
const seed = num(process.env.FUZZ_SEED, 20261201);
const maxExamples = num(process.env.FUZZ_MAX_EXAMPLES, 300);
const minRequests = num(process.env.FUZZ_MIN_REQUESTS, 10_000);
const apiPort = num(process.env.FUZZ_API_PORT, 23_700 + Math.floor(Math.random() * 200));
const temporalPort = num(process.env.FUZZ_TEMPORAL_PORT, 24_700 + Math.floor(Math.random() * 200));
const say = (m: string) => process.stdout.write(`[fuzz] ${m}\n`);

/** schemathesis in a virtual environment of its own under .data/ (made once). */
function schemathesis(): string {
  const venv = resolve('.data/fuzz-venv');
  const bin = join(venv, 'bin', 'schemathesis');
  const marker = join(venv, 'installed.txt');
  if (!existsSync(marker) || readFileSync(marker, 'utf8') !== SCHEMATHESIS) {
    say(`installing ${SCHEMATHESIS} into ${venv}`);
    mkdirSync('.data', { recursive: true });
    execFileSync('python3', ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', SCHEMATHESIS], { stdio: 'inherit' });
    writeFileSync(marker, SCHEMATHESIS);
  }
  return bin;
}

let embedded: EmbeddedDatabase | undefined;
let system: ChildProcess | undefined;

async function stopSystem() {
  if (system && system.exitCode === null) {
    const exited = new Promise((r) => system!.once('exit', r));
    process.kill(-system.pid!, 'SIGTERM');
    setTimeout(() => system?.pid && process.kill(-system.pid, 'SIGKILL'), 20_000).unref();
    await exited;
  }
  await embedded?.stop();
}

async function main(): Promise<number> {
  const bin = schemathesis();
  const work = mkdtempSync(join(tmpdir(), 'postgang-fuzz-'));
  chmodSync(work, 0o755); // embedded PostgreSQL runs as a 'postgres' user when this runs as root
  let databaseUrl = process.env.DATABASE_URL;
  if (!databaseUrl) {
    embedded = await startEmbeddedPostgres(join(work, 'pg'), 25_700 + Math.floor(Math.random() * 200));
    databaseUrl = embedded.url;
  }
  const log = join(work, 'system.log');
  say(`starting the system (API port ${apiPort}); its output: ${log}`);
  let output = '';
  system = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts'], {
    env: {
      ...process.env,
      DATABASE_URL: databaseUrl,
      API_PORT: String(apiPort),
      TEMPORAL_ADDRESS: `127.0.0.1:${temporalPort}`,
      DIGIPOST_PRIVATE_KEY_FILE: join(work, 'broker-key.pem'),
      WEBHOOK_LOOPBACK_ONLY: 'true',
      LOG_LEVEL: 'warn',
    },
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const keep = (b: Buffer) => {
    output += b.toString();
    writeFileSync(log, output);
  };
  system.stdout!.on('data', keep);
  system.stderr!.on('data', keep);
  const deadline = Date.now() + 15 * 60_000; // the first start may build the Temporal CLI
  const base = `http://127.0.0.1:${apiPort}`;
  for (;;) {
    if (system.exitCode !== null) throw new Error(`the system did not start:\n${output}`);
    if (Date.now() > deadline) throw new Error(`the system did not come up in time:\n${output}`);
    if (
      output.includes('Ctrl-C stops everything') &&
      (await fetch(`${base}/health`).catch(() => undefined))?.ok
    )
      break;
    await new Promise((r) => setTimeout(r, 500));
  }

  const { db, close } = await openDatabase(databaseUrl);
  const id = `fuzz-${Date.now().toString(36)}`;
  await upsertTenant(db, {
    id,
    name: 'Fuzz kommune',
    orgNumber: '974760673',
    digipostAgreement: 'ACTIVE',
    returnAddress: { name: 'Fuzz kommune', lines: ['Postboks 1'], postalCode: '0037', city: 'Oslo' },
  });
  const key = await issueApiKey(db, id, 'fuzz');
  await close();

  // every request made, as HTTP Archive entries: what the request count is read from
  const har = join(work, 'requests.har');
  // every check is on by default (schemathesis 4); scripts/fuzz/schemathesis.toml names the few exceptions
  say(`schemathesis: seed ${seed}, ${maxExamples} examples per operation, all checks, as tenant ${id}`);
  const args = [
    '--config-file',
    resolve('scripts/fuzz/schemathesis.toml'),
    'run',
    `${base}/openapi.json`,
    '--seed',
    String(seed),
    '--max-examples',
    String(maxExamples),
    // one worker: hypothesis describes strategies by parsing source, which is not thread-safe on Python 3.11
    '--workers',
    '1',
    '--request-timeout',
    '30',
    '--header',
    `Authorization: Bearer ${key}`,
    '--report',
    'har',
    '--report-har-path',
    har,
    '--generation-database',
    'none',
    '--no-color',
  ];
  const code = await new Promise<number>((r) => {
    // in the temporary folder: schemathesis keeps a cache of earlier failures in its working directory, and
    // a run must not replay another's
    const child = spawn(bin, args, { stdio: ['ignore', 'pipe', 'inherit'], cwd: work });
    // schemathesis closes with pytest's banner ("=== 2 warnings in 249.88s ==="), which a log reader takes for
    // a pytest run that executed no test: its banners are printed without the rows of '='
    createInterface({ input: child.stdout! }).on('line', (line) => {
      process.stdout.write(`${line.replace(/^=+ (.*?) =+$/, '-- $1 --')}\n`);
    });
    child.once('close', (c) => r(c ?? 1));
  });
  const requests = existsSync(har)
    ? (JSON.parse(readFileSync(har, 'utf8')) as { log: { entries: unknown[] } }).log.entries.length
    : 0;
  say(`schemathesis exited ${code}; ${requests} requests made (at least ${minRequests} required)`);
  if (code !== 0) return code;
  if (requests < minRequests) return 3;
  return 0;
}

let exitCode = 1;
try {
  exitCode = await main();
} catch (e) {
  process.stderr.write(`[fuzz] ${(e as Error).message}\n`);
} finally {
  await stopSystem();
}
process.exit(exitCode);
