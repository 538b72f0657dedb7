// Receiving systems (SvarInn mottakersystemer) and the organisation numbers they receive for. Secrets are
// sealed before they reach the database and never leave this module unsealed except as SvarInn credentials.
import { randomUUID } from 'node:crypto';
import { and, eq, inArray } from 'drizzle-orm';
import type { Db } from './connection';
import {
  receivingSystemOrgNumbers,
  receivingSystems,
  type ForwardDestination,
  type TriageRules,
} from './schema';
import type { SecretBox } from './secret-box';
import { svarinnPollerWorkflowId } from '../domain/workflow-ids';

export type ReceivingSystemRow = typeof receivingSystems.$inferSelect;

export interface ReceivingSystemInput {
  name: string;
  username: string;
  password: string;
  privateKeyPem: string;
  orgNumbers: string[];
  forwardDestinations?: ForwardDestination[];
  rules?: TriageRules;
  /** Where the daily digest of flagged items goes; null: none. */
  digestEmail?: string | null;
}

/** What operators may see: everything but the secrets. */
export interface ReceivingSystemView {
  id: string;
  name: string;
  username: string;
  orgNumbers: string[];
  forwardDestinations: ForwardDestination[];
  rules: TriageRules;
  digestEmail: string | null;
  active: boolean;
  lastPolledAt: string | null;
  lastPollError: string | null;
  lastPollErrorDetail: string | null;
  pollerWorkflowId: string;
}

/** A second registration of an organisation number; the database constraint is what decides. */
export class OrgNumberTakenError extends Error {
  constructor(readonly orgNumber: string | undefined) {
    super(
      orgNumber
        ? `organisation number ${orgNumber} is already registered to another receiving system`
        : 'an organisation number is already registered to another receiving system',
    );
  }
}

/** The stored secrets were sealed with another key than the configured INBOUND_SECRETS_KEY. */
export class SecretsUnreadableError extends Error {
  constructor(readonly receivingSystemId: string) {
    super(
      `the credentials of receiving system ${receivingSystemId} cannot be opened with the configured INBOUND_SECRETS_KEY`,
    );
  }
}

const UNIQUE_VIOLATION = '23505';

/** Runs `work`, turning a violation of the org number key into OrgNumberTakenError. */
async function claimingOrgNumbers<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (e) {
    const pg = (e as { cause?: { code?: string; constraint_name?: string; detail?: string } }).cause ?? e;
    const err = pg as { code?: string; constraint_name?: string; detail?: string };
    if (err.code === UNIQUE_VIOLATION && err.constraint_name === 'receiving_system_org_numbers_pk')
      throw new OrgNumberTakenError(/\(org_number\)=\((\d+)\)/.exec(err.detail ?? '')?.[1]);
    throw e;
  }
}

async function orgNumbersOf(db: Db, ids: string[]): Promise<Map<string, string[]>> {
  const map = new Map<string, string[]>(ids.map((id) => [id, []]));
  if (ids.length === 0) return map;
  const rows = await db
    .select()
    .from(receivingSystemOrgNumbers)
    .where(inArray(receivingSystemOrgNumbers.receivingSystemId, ids));
  for (const r of rows) map.get(r.receivingSystemId)?.push(r.orgNumber);
  for (const list of map.values()) list.sort();
  return map;
}

function view(row: ReceivingSystemRow, orgNumbers: string[]): ReceivingSystemView {
  return {
    id: row.id,
    name: row.name,
    username: row.username,
    orgNumbers,
    forwardDestinations: row.forwardDestinations,
    rules: row.rules,
    digestEmail: row.digestEmail,
    active: row.active,
    lastPolledAt: row.lastPolledAt?.toISOString() ?? null,
    lastPollError: row.lastPollError,
    lastPollErrorDetail: row.lastPollErrorDetail,
    pollerWorkflowId: svarinnPollerWorkflowId(row.id),
  };
}

export async function createReceivingSystem(
  db: Db,
  box: SecretBox,
  tenantId: string,
  input: ReceivingSystemInput,
): Promise<ReceivingSystemView> {
  const id = randomUUID();
  const row = await claimingOrgNumbers(() =>
    db.transaction(async (tx) => {
      const [created] = await tx
        .insert(receivingSystems)
        .values({
          id,
          tenantId,
          name: input.name,
          username: input.username,
          passwordSealed: box.seal(input.password),
          privateKeySealed: box.seal(input.privateKeyPem),
          forwardDestinations: input.forwardDestinations ?? [],
          rules: input.rules ?? { archiveIntoNamedCase: false, forward: [] },
          digestEmail: input.digestEmail ?? null,
        })
        .returning();
      if (input.orgNumbers.length > 0)
        await tx
          .insert(receivingSystemOrgNumbers)
          .values(input.orgNumbers.map((orgNumber) => ({ orgNumber, receivingSystemId: id })));
      return created!;
    }),
  );
  return view(row, [...input.orgNumbers].sort());
}

export async function updateReceivingSystem(
  db: Db,
  box: SecretBox,
  tenantId: string,
  id: string,
  patch: Partial<ReceivingSystemInput> & { active?: boolean },
): Promise<ReceivingSystemView | undefined> {
  const row = await claimingOrgNumbers(() =>
    db.transaction(async (tx) => {
      const [updated] = await tx
        .update(receivingSystems)
        .set({
          updatedAt: new Date(),
          ...(patch.name !== undefined && { name: patch.name }),
          ...(patch.username !== undefined && { username: patch.username }),
          ...(patch.password !== undefined && { passwordSealed: box.seal(patch.password) }),
          ...(patch.privateKeyPem !== undefined && { privateKeySealed: box.seal(patch.privateKeyPem) }),
          ...(patch.forwardDestinations !== undefined && { forwardDestinations: patch.forwardDestinations }),
          ...(patch.rules !== undefined && { rules: patch.rules }),
          ...(patch.digestEmail !== undefined && { digestEmail: patch.digestEmail }),
          ...(patch.active !== undefined && { active: patch.active }),
        })
        .where(and(eq(receivingSystems.id, id), eq(receivingSystems.tenantId, tenantId)))
        .returning();
      if (!updated) return undefined;
      if (patch.orgNumbers !== undefined) {
        const keep = patch.orgNumbers;
        await tx.delete(receivingSystemOrgNumbers).where(eq(receivingSystemOrgNumbers.receivingSystemId, id));
        if (keep.length > 0)
          await tx
            .insert(receivingSystemOrgNumbers)
            .values(keep.map((orgNumber) => ({ orgNumber, receivingSystemId: id })));
      }
      return updated;
    }),
  );
  if (!row) return undefined;
  return view(row, (await orgNumbersOf(db, [id])).get(id) ?? []);
}

export async function getReceivingSystem(
  db: Db,
  tenantId: string,
  id: string,
): Promise<ReceivingSystemView | undefined> {
  const [row] = await db
    .select()
    .from(receivingSystems)
    .where(and(eq(receivingSystems.id, id), eq(receivingSystems.tenantId, tenantId)));
  if (!row) return undefined;
  return view(row, (await orgNumbersOf(db, [id])).get(id) ?? []);
}

export async function listReceivingSystems(db: Db, tenantId: string): Promise<ReceivingSystemView[]> {
  const rows = await db
    .select()
    .from(receivingSystems)
    .where(eq(receivingSystems.tenantId, tenantId))
    .orderBy(receivingSystems.createdAt);
  const orgs = await orgNumbersOf(
    db,
    rows.map((r) => r.id),
  );
  return rows.map((r) => view(r, orgs.get(r.id) ?? []));
}

/** Every active receiving system's id, across tenants: the pollers that should run. */
export async function activeReceivingSystemIds(db: Db): Promise<string[]> {
  const rows = await db
    .select({ id: receivingSystems.id })
    .from(receivingSystems)
    .where(eq(receivingSystems.active, true));
  return rows.map((r) => r.id);
}

/** The row with its secrets unsealed, for the SvarInn client. Worker-side only. */
export async function receivingSystemCredentials(
  db: Db,
  box: SecretBox,
  id: string,
): Promise<
  { row: ReceivingSystemRow; username: string; password: string; privateKeyPem: string } | undefined
> {
  const [row] = await db.select().from(receivingSystems).where(eq(receivingSystems.id, id));
  if (!row) return undefined;
  try {
    return {
      row,
      username: row.username,
      password: box.open(row.passwordSealed),
      privateKeyPem: box.open(row.privateKeySealed),
    };
  } catch {
    throw new SecretsUnreadableError(id);
  }
}
