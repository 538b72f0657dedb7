// Failure classification against a real PostgreSQL: a value the database refuses becomes a non-retryable
// InvalidData failure whose message holds neither the query's parameters nor the row; anything else stays
// retryable; a template error is permanent.
import { describe, expect, inject, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import { openDatabase } from '../db/connection';
import { TemplateError } from '../documents';
import { FAILURE } from '../domain/failure-types';
import { classifyFailure, classifyFailures } from './failures';

const SECRET = '01019010127 Kari Nordmann';

describe('classifyFailure', () => {
  it('makes a value PostgreSQL refuses a non-retryable InvalidData failure without the parameters', async () => {
    const { db, close } = await openDatabase(inject('databaseUrl'));
    try {
      const activities = classifyFailures({
        store: async () => {
          await db.execute(sql`select ${JSON.stringify({ who: SECRET, bad: '\u0000' })}::jsonb`);
        },
        broken: async () => {
          await db.execute(sql`select * from no_such_table where x = ${SECRET}`);
        },
      });
      const refused = await activities.store().catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(ApplicationFailure);
      expect((refused as ApplicationFailure).type).toBe(FAILURE.INVALID_DATA);
      expect((refused as ApplicationFailure).nonRetryable).toBe(true);
      expect((refused as Error).message).toMatch(/22P05|unsupported Unicode escape/);
      expect((refused as Error).message).not.toContain('01019010127');
      const other = await activities.broken().catch((e: unknown) => e);
      expect(other).toBeInstanceOf(ApplicationFailure);
      expect((other as ApplicationFailure).nonRetryable).toBe(false);
      expect((other as Error).message).toMatch(/42P01/);
      expect((other as Error).message).not.toContain('01019010127');
    } finally {
      await close();
    }
  });

  it('makes a template error permanent and leaves other errors alone', () => {
    const t = classifyFailure(
      new TemplateError('INVALID_RECIPIENT', 'invalid recipient'),
    ) as ApplicationFailure;
    expect(t.type).toBe(`${FAILURE.TEMPLATE}.INVALID_RECIPIENT`);
    expect(t.nonRetryable).toBe(true);
    const plain = new Error('connection reset');
    expect(classifyFailure(plain)).toBe(plain);
  });
});
