import { describe, expect, it } from 'vitest';
import { SvarInnError } from '../integrations/svarinn';
import { errorText, isServiceDown } from './service-down';

const pg = (code: string, message: string) => Object.assign(new Error(message), { code });
const wrapped = (cause: Error) =>
  new Error('Failed query: insert into "inbound_items" ... params: Ola Nordmann,12345678901', { cause });

describe('service down or not', () => {
  it('a database, Temporal or SvarInn that is away is down; bad data and bugs are not', () => {
    expect(isServiceDown(wrapped(pg('08006', 'connection failure')))).toBe(true);
    expect(isServiceDown(wrapped(pg('57P01', 'terminating connection')))).toBe(true);
    expect(isServiceDown(Object.assign(new Error('x'), { code: 'ECONNREFUSED' }))).toBe(true);
    expect(isServiceDown(Object.assign(new Error('unavailable'), { code: 14 }))).toBe(true);
    expect(isServiceDown(new SvarInnError('transient', 'HTTP 503'))).toBe(true);
    expect(isServiceDown(wrapped(pg('22021', 'invalid byte sequence')))).toBe(false);
    expect(isServiceDown(wrapped(pg('22008', 'date/time field value out of range')))).toBe(false);
    expect(isServiceDown(new TypeError('x is undefined'))).toBe(false);
    expect(isServiceDown(new SvarInnError('not-found', 'HTTP 404'))).toBe(false);
  });

  it('describes a failed query by PostgreSQL’s words only, never its parameters', () => {
    const text = errorText(wrapped(pg('22021', 'invalid byte sequence for encoding "UTF8": 0x00')));
    expect(text).toBe('PostgreSQL 22021: invalid byte sequence for encoding "UTF8": 0x00');
    expect(errorText(new RangeError('Invalid time value'))).toBe('RangeError: Invalid time value');
  });
});
