// Operators of the admin panel and their sessions. Passwords are hashed with scrypt (node:crypto); a session
// is a random token in an HttpOnly cookie, of which only the SHA-256 is stored, with an expiry.
import { createHash, randomBytes, randomUUID, scrypt, timingSafeEqual } from 'node:crypto';
import { and, eq, gt, isNull, lte } from 'drizzle-orm';
import type { Db } from './connection';
import { operatorSessions, operators, tenants } from './schema';
import type { Tenant } from './tenants';

export type Operator = typeof operators.$inferSelect;

const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 };

function scryptAsync(password: string, salt: Buffer, N: number, r: number, p: number, len: number) {
  return new Promise<Buffer>((resolve, reject) =>
    scrypt(password, salt, len, { N, r, p, maxmem: 64 * 1024 * 1024 }, (err, key) =>
      err ? reject(err) : resolve(key),
    ),
  );
}

/** `scrypt$N$r$p$salt$hash`, salt and hash in base64url. */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16);
  const { N, r, p, keyLength } = SCRYPT;
  const key = await scryptAsync(password, salt, N, r, p, keyLength);
  return ['scrypt', N, r, p, salt.toString('base64url'), key.toString('base64url')].join('$');
}

export async function verifyPassword(password: string, stored: string): Promise<boolean> {
  const [kind, N, r, p, salt, hash] = stored.split('$');
  if (kind !== 'scrypt' || !salt || !hash) return false;
  const expected = Buffer.from(hash, 'base64url');
  const key = await scryptAsync(
    password,
    Buffer.from(salt, 'base64url'),
    Number(N),
    Number(r),
    Number(p),
    expected.length,
  );
  return timingSafeEqual(key, expected);
}

export const MIN_PASSWORD_LENGTH = 10;

/** Creates an operator, or sets a new password for an existing one of the same tenant (seeding is idempotent). */
export async function upsertOperator(
  db: Db,
  o: { tenantId: string; username: string; password: string },
): Promise<Operator> {
  if (o.password.length < MIN_PASSWORD_LENGTH)
    throw new Error(`the password must have at least ${MIN_PASSWORD_LENGTH} characters`);
  const passwordHash = await hashPassword(o.password);
  const [existing] = await db.select().from(operators).where(eq(operators.username, o.username));
  if (existing && existing.tenantId !== o.tenantId)
    throw new Error(`operator ${o.username} already exists for another tenant`);
  const [row] = existing
    ? await db
        .update(operators)
        .set({ passwordHash, disabledAt: null })
        .where(eq(operators.id, existing.id))
        .returning()
    : await db
        .insert(operators)
        .values({ id: randomUUID(), tenantId: o.tenantId, username: o.username, passwordHash })
        .returning();
  return row!;
}

/** Disables the operator and ends its sessions. */
export async function disableOperator(db: Db, username: string): Promise<boolean> {
  const [op] = await db
    .update(operators)
    .set({ disabledAt: new Date() })
    .where(eq(operators.username, username))
    .returning();
  if (!op) return false;
  await db.delete(operatorSessions).where(eq(operatorSessions.operatorId, op.id));
  return true;
}

export async function listOperators(db: Db, tenantId?: string) {
  return db
    .select({
      username: operators.username,
      tenantId: operators.tenantId,
      createdAt: operators.createdAt,
      disabledAt: operators.disabledAt,
    })
    .from(operators)
    .where(tenantId ? eq(operators.tenantId, tenantId) : undefined)
    .orderBy(operators.username);
}

/** The operator when the username and password match an active operator; otherwise undefined. */
export async function checkLogin(db: Db, username: string, password: string): Promise<Operator | undefined> {
  const [op] = await db
    .select()
    .from(operators)
    .where(and(eq(operators.username, username), isNull(operators.disabledAt)));
  // Without an operator the hash is still computed, so a wrong username takes as long as a wrong password.
  const ok = await verifyPassword(password, op?.passwordHash ?? (await dummyHash));
  return op && ok ? op : undefined;
}
const dummyHash = hashPassword(randomBytes(12).toString('base64url'));

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Starts a session and returns its token (for the cookie); it cannot be read back later. */
export async function startSession(db: Db, operatorId: string, ttlMs: number): Promise<string> {
  const token = randomBytes(32).toString('base64url');
  await db.delete(operatorSessions).where(lte(operatorSessions.expiresAt, new Date()));
  await db
    .insert(operatorSessions)
    .values({ tokenHash: hashToken(token), operatorId, expiresAt: new Date(Date.now() + ttlMs) });
  return token;
}

export async function endSession(db: Db, token: string): Promise<void> {
  await db.delete(operatorSessions).where(eq(operatorSessions.tokenHash, hashToken(token)));
}

/** The operator and tenant of a live session (not expired, operator not disabled). */
export async function sessionFor(
  db: Db,
  token: string,
): Promise<{ operator: Pick<Operator, 'id' | 'username'>; tenant: Tenant } | undefined> {
  const [row] = await db
    .select({ id: operators.id, username: operators.username, tenant: tenants })
    .from(operatorSessions)
    .innerJoin(operators, eq(operators.id, operatorSessions.operatorId))
    .innerJoin(tenants, eq(tenants.id, operators.tenantId))
    .where(
      and(
        eq(operatorSessions.tokenHash, hashToken(token)),
        gt(operatorSessions.expiresAt, new Date()),
        isNull(operators.disabledAt),
      ),
    );
  return row && { operator: { id: row.id, username: row.username }, tenant: row.tenant };
}
