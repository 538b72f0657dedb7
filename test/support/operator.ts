// A test system with one admin-panel operator of its tenant, created before the file's tests.
import { beforeAll } from 'vitest';
import { upsertOperator } from '../../db/operators';
import { useTestSystem, type TestSystem } from './system';

export interface TestOperator {
  /** Set before the file's tests run (`op-<tenant id>`). */
  username: string;
  password: string;
}

export function useTestSystemWithOperator(): { sys: TestSystem; operator: TestOperator } {
  const sys = useTestSystem();
  const operator: TestOperator = { username: '', password: 'riktig-passord-123' };
  beforeAll(async () => {
    operator.username = `op-${sys.tenant.id}`;
    await upsertOperator(sys.db, { tenantId: sys.tenant.id, ...operator });
  }, 180_000);
  return { sys, operator };
}
