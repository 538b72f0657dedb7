// For the management CLIs: runs `body` against DATABASE_URL (or the embedded database `npm start` uses) and
// exits with its code; an error prints its message only (no stack) and exits 1.
import { loadEnv } from '../config/env';
import { openDatabase, type Db } from '../db/connection';
import { startEmbeddedPostgres, type EmbeddedDatabase } from '../db/embedded';

export async function runWithDatabase(body: (db: Db) => Promise<number>): Promise<never> {
  const env = loadEnv();
  let embedded: EmbeddedDatabase | undefined;
  let url = env.DATABASE_URL;
  if (!url) {
    embedded = await startEmbeddedPostgres(env.EMBEDDED_PG_DIR, env.EMBEDDED_PG_PORT);
    url = embedded.url;
  }
  const { db, close } = await openDatabase(url);
  let code = 0;
  try {
    code = await body(db);
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n`);
    code = 1;
  } finally {
    await close();
    await embedded?.stop();
  }
  process.exit(code);
}
