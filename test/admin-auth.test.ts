// Operator login for the admin panel: scrypt passwords, a session cookie (HttpOnly, SameSite=Strict, expiry)
// that stands in for the API key on /v1, scoped to the operator's tenant, with a required header on every
// mutating call (CSRF), and logout.
import { describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { createHash, randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { createApp } from '../api/app';
import { VOCABULARY_MODULE } from '../api/admin-modules';
import { hashPassword, upsertOperator, verifyPassword } from '../db/operators';
import { operatorSessions, operators, receivingSystems } from '../db/schema';
import { letterRequest, until } from './support/system';
import { useTestSystemWithOperator } from './support/operator';
import { DIGIPOST_USER } from './support/digipost';

const { sys, operator } = useTestSystemWithOperator();
const { password } = operator;

const login = (body: unknown, headers: Record<string, string> = { 'x-postgang-admin': '1' }) =>
  fetch(`${sys.base}/admin/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

async function session(): Promise<string> {
  const res = await login({ username: operator.username, password });
  expect(res.status).toBe(201);
  return res.headers.get('set-cookie')!.split(';')[0]!;
}

/** An API of its own on the test system's database and Temporal, with these settings; close its server. */
async function ownApp(settings: Pick<Parameters<typeof createApp>[0], 'admin' | 'trustProxy'>) {
  const app = createApp({
    db: sys.db,
    temporal: sys.temporal,
    taskQueue: sys.taskQueue,
    logger: pino({ level: 'silent' }),
    ...settings,
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const addr = server.address();
  return { server, base: `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}` };
}

const withCookie = (cookie: string, path: string, init: RequestInit = {}) =>
  fetch(`${sys.base}${path}`, { ...init, headers: { cookie, ...(init.headers as Record<string, string>) } });

describe('passwords', () => {
  it('are stored as scrypt hashes that verify only the right password', async () => {
    const stored = await hashPassword('et langt passord');
    expect(stored).toMatch(/^scrypt\$16384\$8\$1\$/);
    expect(stored).not.toContain('et langt passord');
    expect(await verifyPassword('et langt passord', stored)).toBe(true);
    expect(await verifyPassword('et langt passorD', stored)).toBe(false);
    const [row] = await sys.db.select().from(operators).where(eq(operators.username, operator.username));
    expect(row!.passwordHash).not.toContain(password);
  });

  it('must be long enough', async () => {
    await expect(
      upsertOperator(sys.db, { tenantId: sys.tenant.id, username: 'kort', password: 'kort' }),
    ).rejects.toThrow(/at least 10/);
  });
});

describe('login', () => {
  it('refuses a wrong password or unknown user with 401, and a login without the header with 403', async () => {
    expect((await login({ username: operator.username, password: 'feil-passord-123' })).status).toBe(401);
    expect((await login({ username: 'finnes-ikke', password })).status).toBe(401);
    expect((await login({ username: operator.username, password }, {})).status).toBe(403);
    expect((await login({ username: operator.username })).status).toBe(400);
  });

  it('sets an HttpOnly, SameSite=Strict session cookie with an expiry', async () => {
    const res = await login({ username: operator.username, password });
    const cookie = res.headers.get('set-cookie')!;
    expect(cookie).toMatch(/^postgang_admin=[A-Za-z0-9_-]{43};/);
    expect(cookie).toMatch(/; HttpOnly/);
    expect(cookie).toMatch(/; SameSite=Strict/);
    expect(cookie).toMatch(/; Max-Age=28800/);
    const me = await (await withCookie(cookie.split(';')[0]!, '/admin/session')).json();
    expect(me).toMatchObject({ operator: { username: operator.username }, tenant: { id: sys.tenant.id } });
  });

  it('says what the tenant uses: its Digipost agreement, inbound, and what a correction does', async () => {
    const me = await (await withCookie(await session(), '/admin/session')).json();
    expect(me.tenant).toEqual({
      id: sys.tenant.id,
      name: sys.tenant.name,
      digipostAgreement: true,
      inbound: false,
      correctionMode: sys.tenant.correctionMode,
    });
    // a tenant without an agreement, and with a receiving system: the panel hides Digipost, shows inbound
    const other = await sys.newTenant({ digipostAgreement: 'NONE' });
    const otherName = `op-${other.tenant.id}`;
    await upsertOperator(sys.db, { tenantId: other.tenant.id, username: otherName, password });
    await sys.db.insert(receivingSystems).values({
      id: randomUUID(),
      tenantId: other.tenant.id,
      name: 'Postmottak',
      // only its existence counts here: no poller runs for a row written directly
      username: 'svarinn-bruker',
      passwordSealed: 'ikke-brukt',
      privateKeySealed: 'ikke-brukt',
    });
    const res = await login({ username: otherName, password });
    const them = await (
      await withCookie(res.headers.get('set-cookie')!.split(';')[0]!, '/admin/session')
    ).json();
    expect(them.tenant).toMatchObject({ digipostAgreement: false, inbound: true });
  });

  it('answers who is logged in with 200 and no operator when nobody is', async () => {
    const res = await fetch(`${sys.base}/admin/session`);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ operator: null, tenant: null });
  });
});

describe('the session on /v1', () => {
  it("reads the operator's own tenant only", async () => {
    const cookie = await session();
    const other = await sys.newTenant();
    const theirs = await sys.json<{ id: string }>('/v1/letters', {
      body: letterRequest(DIGIPOST_USER),
      headers: other.auth,
    });
    const ours = await sys.json<{ id: string }>('/v1/letters', { body: letterRequest(DIGIPOST_USER) });
    expect((await withCookie(cookie, `/v1/letters/${ours.id}`)).status).toBe(200);
    expect((await withCookie(cookie, `/v1/letters/${theirs.id}`)).status).toBe(404);
  });

  it('requires the admin header on mutating calls', async () => {
    const cookie = await session();
    const { id } = await sys.json<{ id: string }>('/v1/letters', { body: letterRequest(DIGIPOST_USER) });
    await until(
      'queued',
      async () => (await sys.json<{ status: string }>(`/v1/letters/${id}`)).status === 'QUEUED',
    );
    const bare = await withCookie(cookie, `/v1/letters/${id}`, { method: 'DELETE' });
    expect(bare.status).toBe(403);
    expect(((await bare.json()) as { error: { code: string } }).error.code).toBe('CSRF_HEADER_MISSING');
    const ok = await withCookie(cookie, `/v1/letters/${id}`, {
      method: 'DELETE',
      headers: { 'x-postgang-admin': '1' },
    });
    expect(ok.status).toBe(200);
  });

  it('ends at logout and at expiry', async () => {
    const cookie = await session();
    const out = await withCookie(cookie, '/admin/session', {
      method: 'DELETE',
      headers: { 'x-postgang-admin': '1' },
    });
    expect(out.status).toBe(204);
    expect(out.headers.get('set-cookie')).toMatch(/Max-Age=0/);
    expect((await withCookie(cookie, '/v1/queue')).status).toBe(401);

    const expiring = await session();
    await sys.db.update(operatorSessions).set({ expiresAt: new Date(Date.now() - 1000) });
    expect((await withCookie(expiring, '/v1/queue')).status).toBe(401);
  });

  it('ends when the operator is disabled', async () => {
    const cookie = await session();
    expect((await withCookie(cookie, '/v1/queue')).status).toBe(200);
    await sys.db
      .update(operators)
      .set({ disabledAt: new Date() })
      .where(eq(operators.username, operator.username));
    expect((await withCookie(cookie, '/v1/queue')).status).toBe(401);
    await sys.db.update(operators).set({ disabledAt: null }).where(eq(operators.username, operator.username));
  });
});

describe('hardening', () => {
  it('throttles failed logins per user name, with a Norwegian message, refusing even the right password', async () => {
    const name = `op-throttle-${sys.tenant.id}`;
    await upsertOperator(sys.db, { tenantId: sys.tenant.id, username: name, password });
    for (let i = 0; i < 5; i++)
      expect((await login({ username: name, password: `feil-passord-${i}` })).status).toBe(401);
    const locked = await login({ username: name, password });
    expect(locked.status).toBe(429);
    expect(Number(locked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(((await locked.json()) as { error: { message: string } }).error.message).toMatch(
      /^For mange mislykkede innloggingsforsøk\. Vent \d+ minutt(er)? og prøv igjen\.$/,
    );
    // another operator is not locked out by it
    expect((await login({ username: operator.username, password })).status).toBe(201);
  });

  it('throttles failed logins per client address across user names', async () => {
    const { server, base } = await ownApp({
      admin: { throttle: { perUser: 100, perAddress: 3, windowMs: 3_600_000 } },
    });
    const attempt = (u: string, p: string) =>
      fetch(`${base}/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-postgang-admin': '1' },
        body: JSON.stringify({ username: u, password: p }),
      });
    try {
      for (const u of ['a-user', 'b-user', 'c-user'])
        expect((await attempt(u, 'feil-passord-1')).status).toBe(401);
      expect((await attempt(operator.username, password)).status).toBe(429);
    } finally {
      server.close();
    }
  });

  it('serves the panel with a Content-Security-Policy that allows no inline script but its import map', async () => {
    const res = await fetch(`${sys.base}/admin/`);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'self'/);
    const scriptSrc = /script-src ([^;]+)/.exec(csp)![1]!;
    expect(scriptSrc).not.toMatch(/unsafe-inline|unsafe-eval/);
    const html = await res.text();
    const importMap = /<script type="importmap">([\s\S]*?)<\/script>/.exec(html)![1]!;
    expect(scriptSrc).toContain(`'sha256-${createHash('sha256').update(importMap).digest('base64')}'`);
  });

  it('serves the status words from domain/ as a browser module, not cached', async () => {
    const res = await fetch(`${sys.base}/admin/js/vocabulary.js`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const source = await res.text();
    expect(source).toBe(VOCABULARY_MODULE);
    expect(source).toContain('"SENT_PRINT":"Sendt print"');
    expect(source).toContain('"COMMITTED":"Venter hos Digipost"');
    expect(source).toContain('"AWAITING_TRIAGE":"Venter på behandling"');
  });

  it('marks the session cookie Secure behind a TLS proxy it trusts (TRUST_PROXY), not otherwise', async () => {
    const { server, base } = await ownApp({ trustProxy: 'loopback' });
    const attempt = (headers: Record<string, string>) =>
      fetch(`${base}/admin/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-postgang-admin': '1', ...headers },
        body: JSON.stringify({ username: operator.username, password }),
      });
    try {
      const tls = await attempt({ 'x-forwarded-proto': 'https' });
      expect(tls.status).toBe(201);
      expect(tls.headers.get('set-cookie')).toMatch(/; Secure/);
      const plain = await attempt({});
      expect(plain.headers.get('set-cookie')).not.toMatch(/; Secure/);
    } finally {
      server.close();
    }
    // the test system trusts no proxy: a forged header changes nothing
    const forged = await login(
      { username: operator.username, password },
      { 'x-postgang-admin': '1', 'x-forwarded-proto': 'https' },
    );
    expect(forged.headers.get('set-cookie')).not.toMatch(/; Secure/);
  });
});
