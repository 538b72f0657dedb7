// The benches' tenant: a municipality with an active Digipost agreement, and an API key for it.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/connection';
import { issueApiKey, upsertTenant } from '../db/tenants';

export async function benchTenant(db: Db): Promise<{ tenantId: string; key: string }> {
  const tenantId = `bench-${randomUUID().slice(0, 8)}`;
  await upsertTenant(db, {
    id: tenantId,
    name: 'Benchkommune',
    orgNumber: '974760673',
    digipostAgreement: 'ACTIVE',
    returnAddress: { name: 'Benchkommune', lines: ['Postboks 1'], postalCode: '0037', city: 'OSLO' },
  });
  return { tenantId, key: await issueApiKey(db, tenantId, 'bench') };
}
