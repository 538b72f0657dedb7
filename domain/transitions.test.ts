import { describe, expect, it } from 'vitest';
import { INBOUND_STATUS } from './inbound-status';
import { LETTER_STATUS } from './letter-status';
import { RUN_STATUS } from './run-status';
import { INBOUND_MOVES, LETTER_MOVES, RUN_MOVES, guardFor, movesInto } from './transitions';

describe('the allowed moves', () => {
  it('name every status of each process, and move only to statuses of that process', () => {
    expect(Object.keys(LETTER_MOVES).sort()).toEqual(Object.keys(LETTER_STATUS).sort());
    expect(Object.keys(RUN_MOVES).sort()).toEqual(Object.keys(RUN_STATUS).sort());
    expect(Object.keys(INBOUND_MOVES).sort()).toEqual(Object.keys(INBOUND_STATUS).sort());
    for (const moves of [LETTER_MOVES, INBOUND_MOVES, RUN_MOVES] as Record<string, readonly string[]>[])
      for (const to of Object.values(moves).flat()) expect(Object.keys(moves)).toContain(to);
  });

  it('end each process in its final statuses: nothing leaves them', () => {
    for (const s of ['DELETED', 'SELF_SEND'] as const) expect(LETTER_MOVES[s]).toEqual([]);
    for (const s of ['ARCHIVED', 'FORWARDED', 'DELETED', 'UNREADABLE'] as const)
      expect(INBOUND_MOVES[s]).toEqual([]);
    expect(RUN_MOVES.DONE).toEqual([]);
    expect(RUN_MOVES.FAILED).toEqual([]);
  });

  it('let a letter fail after a first success, and be corrected only from Ikke sendt', () => {
    expect(movesInto(LETTER_MOVES, 'NOT_SENT').sort()).toEqual(
      ['NOT_SENT', 'RECEIVED', 'SENT_DIGITAL', 'SENT_PRINT', 'WAITING'].sort(),
    );
    expect(movesInto(LETTER_MOVES, 'QUEUED').sort()).toEqual(['NOT_SENT', 'RECEIVED']);
    expect(movesInto(LETTER_MOVES, 'DELETED')).toEqual(['QUEUED']);
  });

  it('triage an item only once it is acknowledged (or after a failed triage), never twice into one status', () => {
    for (const to of ['ARCHIVING', 'FORWARDING', 'DELETED'] as const)
      expect(movesInto(INBOUND_MOVES, to).sort()).toEqual(['AWAITING_TRIAGE', 'TRIAGE_FAILED']);
    for (const to of Object.keys(INBOUND_MOVES) as (keyof typeof INBOUND_MOVES)[])
      expect(movesInto(INBOUND_MOVES, to)).not.toContain(to);
    expect(movesInto(INBOUND_MOVES, 'STORED')).toEqual(['RECEIVED']);
  });

  it('commit a run only while it is sending, and finish it only once committed', () => {
    expect(movesInto(RUN_MOVES, 'COMMITTED')).toEqual(['SENDING']);
    expect(movesInto(RUN_MOVES, 'DONE')).toEqual(['COMMITTED']);
    expect(movesInto(RUN_MOVES, 'FAILED')).toEqual(['SENDING']);
  });
});

describe('guardFor', () => {
  it('takes the statuses the table allows into the target when the caller names none', () => {
    expect(guardFor('run', RUN_MOVES, 'DONE')).toEqual(['COMMITTED']);
  });

  it("keeps the caller's narrower guard when the table allows each of its moves", () => {
    expect(guardFor('letter', LETTER_MOVES, 'NOT_SENT', ['WAITING'])).toEqual(['WAITING']);
  });

  it('refuses a move the table does not allow, naming it', () => {
    expect(() => guardFor('letter', LETTER_MOVES, 'WAITING', ['QUEUED', 'DELETED'])).toThrow(
      'letter: the move DELETED → WAITING is not allowed',
    );
    expect(() => guardFor('inbound item', INBOUND_MOVES, 'STORED', ['ARCHIVED'])).toThrow(
      /ARCHIVED → STORED/,
    );
  });
});
