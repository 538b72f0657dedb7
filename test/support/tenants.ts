// A fresh tenant (with a Digipost agreement unless told otherwise) and an API key for it.
import { randomUUID } from 'node:crypto';
import type { Db } from '../../db/connection';
import { issueApiKey, upsertTenant, type NewTenant, type Tenant } from '../../db/tenants';

export async function tenantForTests(
  db: Db,
  overrides: Partial<NewTenant> = {},
): Promise<{ tenant: Tenant; apiKey: string; auth: { authorization: string } }> {
  const tenant = await upsertTenant(db, {
    id: `t-${randomUUID().slice(0, 8)}`,
    name: 'Testkommune',
    orgNumber: '974760673',
    digipostAgreement: 'ACTIVE',
    returnAddress: { name: 'Testkommune', lines: ['Postboks 1'], postalCode: '0037', city: 'Oslo' },
    ...overrides,
  });
  const apiKey = await issueApiKey(db, tenant.id, 'test');
  return { tenant, apiKey, auth: { authorization: `Bearer ${apiKey}` } };
}
