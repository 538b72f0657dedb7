// Tenants and their API keys. A key is shown once when issued; only its SHA-256 is stored.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { and, eq, inArray, isNull } from 'drizzle-orm';
import type { Db } from './connection';
import { apiKeys, operatorSessions, operators, tenants, type PriceList, type ReturnAddress } from './schema';

export type Tenant = typeof tenants.$inferSelect;

/** Digipost's list prices as far as the spec knows them (digipost-api.md §11); each tenant may have its own. */
export const DEFAULT_PRICES: PriceList = {
  digitalPerLetter: 60,
  printPerLetter: 1490,
  printPerExtraSheet: 129,
  adminFeePerLetter: 100,
};

export interface NewTenant {
  id: string;
  name: string;
  orgNumber: string;
  digipostAgreement?: 'NONE' | 'ACTIVE' | 'ENDED';
  digipostSenderId?: string | null;
  returnAddress: ReturnAddress;
  correctionMode?: 'QUEUE' | 'SEND_NOW';
  prices?: PriceList;
}

const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');

/** Creates the tenant, or updates its settings when it exists (so seeding is idempotent). */
export async function upsertTenant(db: Db, t: NewTenant): Promise<Tenant> {
  const values = {
    id: t.id,
    name: t.name,
    orgNumber: t.orgNumber,
    digipostAgreement: t.digipostAgreement ?? 'NONE',
    digipostSenderId: t.digipostSenderId ?? null,
    returnAddress: t.returnAddress,
    correctionMode: t.correctionMode ?? 'QUEUE',
    prices: t.prices ?? DEFAULT_PRICES,
  };
  const { id: _id, ...update } = values;
  void _id;
  const [row] = await db
    .insert(tenants)
    .values(values)
    .onConflictDoUpdate({ target: tenants.id, set: update })
    .returning();
  return row!;
}

/** Issues a new key (`pg_` + 32 random bytes, base64url) and returns it; it cannot be read back later. */
export async function issueApiKey(db: Db, tenantId: string, label: string, key?: string): Promise<string> {
  const secret = key ?? `pg_${randomBytes(32).toString('base64url')}`;
  await db
    .insert(apiKeys)
    .values({ id: randomUUID(), tenantId, keyHash: hashKey(secret), label })
    .onConflictDoNothing();
  return secret;
}

export async function tenantForApiKey(db: Db, key: string): Promise<Tenant | undefined> {
  return (await apiKeyFor(db, key))?.tenant;
}

/** The tenant of a live key, and the key's label (who the audit log says acted). */
export async function apiKeyFor(db: Db, key: string): Promise<{ tenant: Tenant; label: string } | undefined> {
  const [row] = await db
    .select({ tenant: tenants, label: apiKeys.label })
    .from(apiKeys)
    .innerJoin(tenants, eq(tenants.id, apiKeys.tenantId))
    .where(and(eq(apiKeys.keyHash, hashKey(key)), isNull(apiKeys.revokedAt)));
  return row;
}

export async function revokeApiKeys(db: Db, tenantId: string): Promise<void> {
  await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)));
}

/**
 * Disables a tenant: every API key revoked, every operator disabled and every session ended, in one
 * transaction, so nothing of the tenant can call the API any more. Its letters and items are kept. Undefined
 * when there is no such tenant.
 */
export async function disableTenant(
  db: Db,
  tenantId: string,
): Promise<{ keys: number; operators: number; sessions: number } | undefined> {
  return db.transaction(async (tx) => {
    const [tenant] = await tx.select({ id: tenants.id }).from(tenants).where(eq(tenants.id, tenantId));
    if (!tenant) return undefined;
    const now = new Date();
    const keys = await tx
      .update(apiKeys)
      .set({ revokedAt: now })
      .where(and(eq(apiKeys.tenantId, tenantId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.keyHash });
    const ops = await tx
      .update(operators)
      .set({ disabledAt: now })
      .where(and(eq(operators.tenantId, tenantId), isNull(operators.disabledAt)))
      .returning({ id: operators.id });
    const sessions = await tx
      .delete(operatorSessions)
      .where(
        inArray(
          operatorSessions.operatorId,
          tx.select({ id: operators.id }).from(operators).where(eq(operators.tenantId, tenantId)),
        ),
      )
      .returning({ id: operatorSessions.tokenHash });
    return { keys: keys.length, operators: ops.length, sessions: sessions.length };
  });
}
