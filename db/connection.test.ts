import { describe, expect, inject, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { openDatabase } from './connection';
import { letters } from './schema';
import { tenantForTests } from '../test/support/tenants';

describe('database', () => {
  it('applies the committed migrations (twice, idempotently) and stores a tenant and a letter', async () => {
    const first = await openDatabase(inject('databaseUrl'));
    await first.close();
    const { db, close } = await openDatabase(inject('databaseUrl'));
    try {
      const id = randomUUID();
      await db.insert(letters).values({
        id,
        tenantId: (await tenantForTests(db)).tenant.id,
        caseId: 'c1',
        templateCode: '_IKV_STANDARD',
        status: 'QUEUED',
        recipient: { name: 'Kari' },
        mergeData: {},
      });
      const rows = await db.select().from(letters).where(eq(letters.id, id));
      expect(rows).toHaveLength(1);
      expect(rows[0]!.status).toBe('QUEUED');
    } finally {
      await close();
    }
  });
});
