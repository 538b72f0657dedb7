// `npm run tenant`: creates a tenant, issues a key that authenticates, rejects bad input with a clear message.
import { describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import { openDatabase } from '../db/connection';
import { tenantForApiKey } from '../db/tenants';
import { checkLogin, sessionFor, startSession, upsertOperator } from '../db/operators';
import { priceListOn } from '../db/prices';

const run = (...args: string[]) =>
  promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/tenant.ts', ...args], {
    env: { ...process.env, DATABASE_URL: inject('databaseUrl') },
  }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => e,
  );

describe('npm run tenant', () => {
  it('creates a tenant and issues a working API key', async () => {
    const id = `cli-${randomUUID().slice(0, 8)}`;
    const created = await run('create', id, '974760673', 'Testkommune', '--agreement', 'ACTIVE');
    expect(created.code, created.stderr).toBe(0);
    const key = await run('key', id, 'case system');
    expect(key.code).toBe(0);
    const { db, close } = await openDatabase(inject('databaseUrl'));
    try {
      const tenant = await tenantForApiKey(db, key.stdout.trim());
      expect(tenant?.id).toBe(id);
      expect(tenant?.digipostAgreement).toBe('ACTIVE');
      expect((await run('revoke-keys', id)).code).toBe(0);
      expect(await tenantForApiKey(db, key.stdout.trim())).toBeUndefined();
    } finally {
      await close();
    }
  }, 60_000);

  it('names what is wrong with bad input', async () => {
    const bad = await run('create', 'Bad Id', '12', 'x');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/id: .*org nr: nine digits/);
    expect((await run('key', 'no-such-tenant', 'x')).stderr).toMatch(/no tenant no-such-tenant/);
  }, 60_000);
});

describe('npm run tenant -- disable', () => {
  it("revokes the tenant's keys, disables its operators and ends their sessions", async () => {
    const id = `cli-${randomUUID().slice(0, 8)}`;
    expect((await run('create', id, '974760673', 'Testkommune')).code).toBe(0);
    const key = (await run('key', id, 'case system')).stdout.trim();
    const { db, close } = await openDatabase(inject('databaseUrl'));
    try {
      const operator = await upsertOperator(db, {
        tenantId: id,
        username: `op-${id}`,
        password: 'et-langt-passord',
      });
      const token = await startSession(db, operator.id, 3_600_000);
      expect(await tenantForApiKey(db, key)).toBeDefined();
      expect(await sessionFor(db, token)).toBeDefined();
      const disabled = await run('disable', id);
      expect(disabled.code, disabled.stderr).toBe(0);
      expect(disabled.stdout).toMatch(/1 key\(s\) revoked, 1 operator\(s\) disabled, 1 session\(s\) ended/);
      expect(await tenantForApiKey(db, key)).toBeUndefined();
      expect(await sessionFor(db, token)).toBeUndefined();
      expect(await checkLogin(db, `op-${id}`, 'et-langt-passord')).toBeUndefined();
      expect((await run('disable', 'no-such-tenant')).stderr).toMatch(/no tenant no-such-tenant/);
    } finally {
      await close();
    }
  }, 60_000);
});

describe('npm run tenant -- prices', () => {
  it('sets a price list valid from a date, shows every list, and names a bad or missing flag', async () => {
    const id = `cli-${randomUUID().slice(0, 8)}`;
    expect((await run('create', id, '974760673', 'Testkommune')).code).toBe(0);
    const set = await run(
      'prices',
      id,
      '--from',
      '2026-04-01',
      '--digital',
      '70',
      '--print',
      '2000',
      '--extra-sheet',
      '300',
      '--fee',
      '150',
    );
    expect(set.code, set.stderr).toBe(0);
    const shown = await run('prices', id);
    expect(shown.code, shown.stderr).toBe(0);
    expect(shown.stdout).toMatch(/^standard\t0\.60 kr\t14\.90 kr\t1\.29 kr\t1\.00 kr/m);
    expect(shown.stdout).toMatch(/^2026-04-01\t0\.70 kr\t20\.00 kr\t3\.00 kr\t1\.50 kr/m);
    const { db, close } = await openDatabase(inject('databaseUrl'));
    try {
      expect(await priceListOn(db, id, '2026-03-31')).toMatchObject({ validFrom: null });
      expect(await priceListOn(db, id, '2026-04-01')).toEqual({
        validFrom: '2026-04-01',
        prices: {
          digitalPerLetter: 70,
          printPerLetter: 2000,
          printPerExtraSheet: 300,
          adminFeePerLetter: 150,
        },
      });
    } finally {
      await close();
    }
    const bad = await run('prices', id, '--from', '2026-04-31', '--digital', '-1', '--print', '2000');
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/--from: expected a date/);
    expect(bad.stderr).toMatch(/--digital: /);
    expect(bad.stderr).toMatch(/--extra-sheet: /);
    expect((await run('prices', 'no-such-tenant')).stderr).toMatch(/no tenant no-such-tenant/);
  }, 60_000);
});
