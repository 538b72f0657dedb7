import postgres from 'postgres';
import { drizzle } from 'drizzle-orm/postgres-js';
import { migrate } from 'drizzle-orm/postgres-js/migrator';
import { fileURLToPath } from 'node:url';
import { writeFileSync } from 'node:fs';
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
  const stats = statementCounter(process.env.POSTGANG_SQL_STATS_FILE);
  const sql = postgres(url, { max: 10, onnotice: () => undefined, ...(stats && { debug: stats.count }) });
  return {
    db: drizzle(sql, { schema }),
    close: async () => {
      stats?.stop();
      await sql.end({ timeout: 5 });
    },
  };
}

/**
 * For `npm run bench` only (POSTGANG_SQL_STATS_FILE): counts the statements this process sends, by their text
 * (first 120 characters), and writes the counts to the file every second, so the bench can report statements
 * per letter. Off (no `debug` hook at all) when the variable is unset.
 */
function statementCounter(file: string | undefined) {
  if (!file) return undefined;
  const counts = new Map<string, number>();
  const flush = () => writeFileSync(file, JSON.stringify(Object.fromEntries(counts)));
  const timer = setInterval(flush, 1000);
  timer.unref();
  return {
    count: (_connection: number, query: string) => {
      const key = query.replace(/\s+/g, ' ').slice(0, 120);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    stop: () => {
      clearInterval(timer);
      flush();
    },
  };
}
