import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import * as schema from './schema';

export type Db = ReturnType<typeof drizzle<typeof schema>>;

const migrationsFolder = fileURLToPath(new URL('./migrations', import.meta.url));

// Any fixed key: serialises migrations when API and worker start at once on a fresh database.
const MIGRATION_LOCK = 4_711_2026;

/** Opens a pool and applies the committed migrations (idempotent; drizzle records what ran). */
export async function openDatabase(url: string): Promise<{ db: Db; close: () => Promise<void> }> {
  // One connection, so the session-level lock covers the migration's own queries.
  const migrator = postgres(url, { max: 1, onnotice: () => undefined });
  try {
    await migrator`select pg_advisory_lock(${MIGRATION_LOCK})`;
    await migrate(drizzle(migrator), { migrationsFolder });
  } finally {
    await migrator.end({ timeout: 5 });
  }
  const sql = postgres(url, { max: 10, onnotice: () => undefined });
  return { db: drizzle(sql, { schema }), close: () => sql.end({ timeout: 5 }) };
}
