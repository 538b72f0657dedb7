// Unit tests of the triage decision rules the inbound item workflow's update validator applies
// (workflows/inbound-messages.ts): pure code, no Temporal server.
import { FAILURE } from '../domain/failure-types';
import { describe, expect, it } from 'vitest';
import { triageNotAllowed, validateTriage } from './inbound-messages';

const destinations = ['postmottak'];
const refusal = (req: unknown) => {
  try {
    validateTriage(req, destinations);
  } catch (e) {
    return e;
  }
  return undefined;
};

describe('validateTriage', () => {
  it('accepts each action with its fields', () => {
    expect(refusal({ action: 'archive' })).toBeUndefined();
    expect(refusal({ action: 'archive', caseNumber: '2026/17', caseTitle: 'Byggesak' })).toBeUndefined();
    expect(refusal({ action: 'delete', reason: 'feilsendt' })).toBeUndefined();
    expect(refusal({ action: 'forward', destination: 'postmottak' })).toBeUndefined();
  });

  it.each([
    ['(body)', null],
    ['(body)', 'archive'],
    ['action', { action: 'shred' }],
    ['action', {}],
    ['reason', { action: 'delete' }],
    ['reason', { action: 'delete', reason: '   ' }],
    ['reason', { action: 'delete', reason: 'nul\u0000byte' }],
    ['caseNumber', { action: 'archive', caseNumber: 17 }],
    ['caseTitle', { action: 'archive', caseTitle: '\ud800' }],
    ['destination', { action: 'forward' }],
    ['destination', { action: 'forward', destination: 'ukjent' }],
  ])('refuses naming %s: %j', (field, req) => {
    expect(refusal(req)).toMatchObject({ type: FAILURE.INVALID_TRIAGE, details: [field] });
    expect((refusal(req) as Error).message.startsWith(`${field}: `)).toBe(true);
  });

  it('names the configured destinations when the one asked for is unknown', () => {
    expect(refusal({ action: 'forward', destination: 'ukjent' })).toMatchObject({
      message: 'destination: unknown destination ukjent; this receiving system forwards to: postmottak',
    });
    expect(() => validateTriage({ action: 'forward', destination: 'x' }, [])).toThrow(/\(none configured\)/);
  });
});

describe('triageNotAllowed', () => {
  it.each([
    ['intake', 'the item is still being received from SvarInn'],
    ['triage', 'the item is waiting for triage'],
    ['executing', 'the item has already been triaged and is being processed'],
    ['done', 'the item has already been triaged'],
  ] as const)('%s: %s', (phase, message) => {
    expect(triageNotAllowed(phase)).toMatchObject({ type: FAILURE.TRIAGE_NOT_ALLOWED, message });
  });
});
