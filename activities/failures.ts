// How an activity's error becomes a Temporal failure: permanent ones (the database refused the data, the
// document cannot be produced from it) are non-retryable ApplicationFailures of the types in
// domain/failure-types.ts; everything else stays retryable. Database errors lose their query parameters and
// PostgreSQL's `detail` on the way (drizzle prints every parameter in its message, and a row's detail can hold
// names, national ids and addresses), so neither the worker's activity-failure log nor history carries them.
import { ApplicationFailure } from '@temporalio/common';
import { TemplateError } from '../documents';
import { FAILURE, templateFailureType } from '../domain/failure-types';

interface PgError {
  name?: string;
  code: string;
  message: string;
}

/** The PostgreSQL server error in an error's cause chain (postgres.js `PostgresError`), if any. */
export function postgresErrorIn(e: unknown): PgError | undefined {
  for (let c = e, depth = 0; c && depth < 5; c = (c as { cause?: unknown }).cause, depth++) {
    const x = c as Partial<PgError>;
    if (typeof x.code === 'string' && /^[0-9A-Z]{5}$/.test(x.code) && typeof x.message === 'string')
      if (x.name === 'PostgresError' || 'severity' in (c as object)) return x as PgError;
  }
  return undefined;
}

/** SQLSTATE classes and codes that mean: this data can never be stored; trying again changes nothing. */
const PERMANENT_SQLSTATE = (code: string) =>
  code.startsWith('22') || code === '23502' || code === '23514' || code === '54000';

/** A database error's words without its parameters or row: the statement's first line and PostgreSQL's message. */
export function safeDatabaseMessage(e: unknown): string | undefined {
  const pg = postgresErrorIn(e);
  const query = (e as { query?: unknown }).query;
  if (!pg && typeof query !== 'string') return undefined;
  const statement = typeof query === 'string' ? query.split('\n')[0]!.slice(0, 200) : undefined;
  return ['database query failed', pg && `${pg.code} ${pg.message}`, statement && `(${statement})`]
    .filter(Boolean)
    .join(': ');
}

/** The failure an activity reports for `e`. */
export function classifyFailure(e: unknown): unknown {
  if (e instanceof ApplicationFailure) return e;
  if (e instanceof TemplateError)
    return ApplicationFailure.nonRetryable(e.message, templateFailureType(e.code));
  const message = safeDatabaseMessage(e);
  if (message === undefined) return e;
  const pg = postgresErrorIn(e);
  if (pg && PERMANENT_SQLSTATE(pg.code))
    return ApplicationFailure.nonRetryable(`the database refused the data: ${message}`, FAILURE.INVALID_DATA);
  // e.g. the database is down or a deadlock: retried (the workflows' retry policies have no attempt cap for
  // these activities on purpose: the service comes back and the work goes on)
  return ApplicationFailure.retryable(message, FAILURE.DATABASE_ERROR);
}

/** Wraps every activity so that what it throws is classified (and cleaned of personal data) as above. */
export function classifyFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(
  activities: T,
): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          throw classifyFailure(e);
        }
      },
    ]),
  ) as T;
}
