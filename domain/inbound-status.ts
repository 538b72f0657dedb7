// The inbound item statuses, in the operators' own words, and which of them are final. The one list: the API's
// enums, the database column type and the admin panel (GET /admin/js/vocabulary.js) derive from it.
import { codesOf } from './vocabulary';

export const INBOUND_STATUS = {
  RECEIVED: 'Mottatt',
  STORED: 'Lagret',
  AWAITING_TRIAGE: 'Venter på behandling',
  ARCHIVING: 'Arkiveres',
  ARCHIVED: 'Arkivert',
  FORWARDING: 'Videresendes',
  FORWARDED: 'Videresendt',
  DELETED: 'Slettet',
  TRIAGE_FAILED: 'Behandling feilet',
  UNREADABLE: 'Kan ikke leses',
} as const;

export type InboundStatus = keyof typeof INBOUND_STATUS;

export const INBOUND_STATUSES = codesOf(INBOUND_STATUS);

/** Nothing more happens to an item in these statuses (a deleted item's files are purged later). */
export const FINAL_INBOUND_STATUSES: readonly InboundStatus[] = ['ARCHIVED', 'FORWARDED', 'DELETED'];

/** Every status an item can wait in, and what an operator should look at when it waits too long there. */
export const WAITING_HINT: Record<Exclude<InboundStatus, 'ARCHIVED' | 'FORWARDED' | 'DELETED'>, string> = {
  RECEIVED: 'Mottaket kommer ikke videre; SvarInn kan være utilgjengelig.',
  STORED: 'Mottaket er ikke kvittert til SvarInn; SvarInn kan være utilgjengelig.',
  AWAITING_TRIAGE: 'Ingen har behandlet forsendelsen.',
  ARCHIVING: 'Arkivet svarer ikke, eller avviser forsøkene.',
  FORWARDING: 'E-posttjeneren svarer ikke, eller avviser forsøkene.',
  TRIAGE_FAILED: 'Behandlingen feilet; velg en ny behandling.',
  UNREADABLE: 'Forsendelsen kunne ikke leses og er meldt tilbake til SvarUt; se årsaken.',
};

/** "2 timer", "90 minutter", "3 sekunder". */
export function durationInWords(ms: number): string {
  if (ms >= 3_600_000 && ms % 3_600_000 === 0) return plural(ms / 3_600_000, 'time', 'timer');
  if (ms >= 60_000 && ms % 60_000 === 0) return plural(ms / 60_000, 'minutt', 'minutter');
  return plural(Math.max(1, Math.round(ms / 1000)), 'sekund', 'sekunder');
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

/** Why an item is flagged: it has waited in `status` for longer than `ms`. */
export function waitingTooLong(status: keyof typeof WAITING_HINT, ms: number): string {
  return `Har stått som «${INBOUND_STATUS[status]}» i mer enn ${durationInWords(ms)}. ${WAITING_HINT[status]}`;
}
