// The moves each process allows, stated once: from each status, the statuses it may move to. The one transition
// mechanism (db/transitions.ts) refuses any other move and, when the caller names no `from`, guards the update
// with every status the table allows into the target. A retried move finds the row already moved and records
// nothing twice. Pure: no I/O, so workflows may import it too.
import type { InboundStatus } from './inbound-status';
import type { LetterStatus } from './letter-status';
import type { RunStatus } from './run-status';

export type Moves<S extends string> = { readonly [from in S]: readonly S[] };

export const LETTER_MOVES: Moves<LetterStatus> = {
  // produced: queued for the next run, or for the tenant to send itself; production failed: Ikke sendt
  RECEIVED: ['QUEUED', 'SELF_SEND', 'NOT_SENT'],
  // sent in a run, or deleted by an operator before the run
  QUEUED: ['WAITING', 'DELETED'],
  // Digipost delivered, refused it, or accepted it without delivering yet (sent alone)
  WAITING: ['SENT_DIGITAL', 'SENT_PRINT', 'NOT_SENT', 'WAITING'],
  // a late PRINT_FAILED or SHREDDED
  SENT_DIGITAL: ['NOT_SENT'],
  SENT_PRINT: ['NOT_SENT'],
  // corrected (queued again or sent at once); a refused correction or the correction window's end keeps it here
  NOT_SENT: ['QUEUED', 'WAITING', 'NOT_SENT'],
  DELETED: [],
  SELF_SEND: [],
};

export const INBOUND_MOVES: Moves<InboundStatus> = {
  RECEIVED: ['STORED', 'UNREADABLE'],
  // acknowledged to SvarInn; or its download failed for good on a retry after it was stored
  STORED: ['AWAITING_TRIAGE', 'UNREADABLE'],
  AWAITING_TRIAGE: ['ARCHIVING', 'FORWARDING', 'DELETED', 'TRIAGE_FAILED'],
  // an operator decides again
  TRIAGE_FAILED: ['ARCHIVING', 'FORWARDING', 'DELETED'],
  ARCHIVING: ['ARCHIVED', 'TRIAGE_FAILED'],
  FORWARDING: ['FORWARDED', 'TRIAGE_FAILED'],
  ARCHIVED: [],
  FORWARDED: [],
  DELETED: [],
  UNREADABLE: [],
};

export const RUN_MOVES: Moves<RunStatus> = {
  // the batch committed (or, with nothing accepted, cancelled); or Digipost refused the whole batch
  SENDING: ['COMMITTED', 'FAILED'],
  // every letter of the run has its outcome
  COMMITTED: ['DONE'],
  DONE: [],
  FAILED: [],
};

/** The statuses the table allows a move into `to` from. */
export function movesInto<S extends string>(moves: Moves<S>, to: S): S[] {
  return (Object.keys(moves) as S[]).filter((from) => moves[from].includes(to));
}

/**
 * The guard for a move into `to`: the caller's `from` (each checked against the table), or every status the
 * table allows into `to`. A move the table does not allow is a programming error and throws.
 */
export function guardFor<S extends string>(what: string, moves: Moves<S>, to: S, from?: readonly S[]): S[] {
  if (!from) return movesInto(moves, to);
  const refused = from.filter((f) => !moves[f].includes(to));
  if (refused.length > 0)
    throw new Error(`${what}: the move ${refused.join(', ')} → ${to} is not allowed (domain/transitions.ts)`);
  return [...from];
}
