import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Db = ReturnType<typeof drizzle<typeof schema>>;

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

/** Opens a pool and applies the committed migrations (idempotent; drizzle records what ran). */
export async function openDatabase(url: string): Promise<{ db: Db; close: () => Promise<void> }> {
  const sql = postgres(url, { max: 10, onnotice: () => undefined });
  const db = drizzle(sql, { schema });
  await migrate(db, { migrationsFolder });
  return { db, close: () => sql.end({ timeout: 5 }) };
}
