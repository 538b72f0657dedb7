// Readiness (API and worker alike): whether the database and Temporal answer now. Liveness needs no check.
import { sql } from 'drizzle-orm';
import type { Client } from '@temporalio/client';
import type { Db } from '../db/connection';

export async function readiness(db: Db, temporal: Client): Promise<{ database: boolean; temporal: boolean }> {
  const [database, temporalOk] = await Promise.all([
    db.execute(sql`select 1`).then(
      () => true,
      () => false,
    ),
    temporal.connection.workflowService.getSystemInfo({}).then(
      () => true,
      () => false,
    ),
  ]);
  return { database, temporal: temporalOk };
}
