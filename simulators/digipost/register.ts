// The simulator's registers: brokers (with their certificate, permissions and the senders they may act for)
// and the population (who is a Digipost user, who an identified non-user, who unknown), digipost-api.md §3, §13.
import { createPublicKey, type KeyObject } from 'node:crypto';
import { isValidNationalId } from '../../domain/national-id';

export type Person =
  | { kind: 'DIGIPOST'; digipostAddress?: string; personAlias?: string }
  | { kind: 'IDENTIFIED'; personAlias?: string }
  | { kind: 'UNIDENTIFIED'; reason?: 'NOT_FOUND' | 'MULTIPLE_MATCHES' }
  | { kind: 'INVALID' };

/**
 * An organisation in the register: one with a Digipost mailbox (`DIGIPOST`, delivered digitally by its
 * organisation number), or one known not to have one (`UNIDENTIFIED`, as any valid number never registered).
 */
export type Organisation = { kind: 'DIGIPOST'; name?: string } | { kind: 'UNIDENTIFIED'; name?: string };

/** What a broker's agreement allows; each refusal has its NOT_APPROVED_* error (§6). */
export interface Permissions {
  /** Print fallback and print-if-unread (NOT_APPROVED_FOR_PRINT). */
  print: boolean;
  /** Direct print, print-details without an identifier (NOT_APPROVED_FOR_DIRECT_PRINT). */
  directPrint: boolean;
  /** IDPORTEN_3 / IDPORTEN_4 authentication levels (NOT_APPROVED_FOR_IDPORTEN). */
  idporten: boolean;
  /** Pre-encrypted documents (NOT_APPROVED_FOR_PREENCRYPT). */
  preencrypt: boolean;
  /** Technical attachments (NOT_APPROVED_FOR_TECHNICAL_ATTACHMENTS). */
  technicalAttachments: boolean;
  /** Custom e-mail addresses / SMS numbers in notifications (NOTIFICATION_ADDRESSES_NOT_ALLOWED). */
  notificationAddresses: boolean;
  /** Future delivery-time. */
  deliveryTime: boolean;
  /** File types allowed for digital delivery (feature allowed-file-types). */
  fileTypes: string[];
  /** Page limit for print (feature print.pageamount); 14 pages fit a C5 envelope, C4 is off by default. */
  maxPrintPages: number;
}

export const DEFAULT_PERMISSIONS: Permissions = {
  print: true,
  directPrint: true,
  idporten: false,
  preencrypt: false,
  technicalAttachments: false,
  notificationAddresses: false,
  deliveryTime: true,
  fileTypes: ['pdf', 'txt', 'png', 'jpg', 'jpeg', 'gif'],
  maxPrintPages: 14,
};

export interface Broker {
  userId: string;
  /** Undefined: the broker has uploaded no certificate (403 MISSING_CERTIFICATE). */
  publicKey?: KeyObject;
  permissions: Permissions;
  /** Sender ids (or organisation numbers) the broker may send on behalf of, besides itself. */
  senders: string[];
}

export interface BrokerOptions {
  permissions?: Partial<Permissions>;
  senders?: string[];
}

/** A broker from a PEM public key (SPKI or PKCS#1) or a PEM X.509 certificate; `null` for none uploaded. */
export function makeBroker(
  userId: string,
  keyOrCertificatePem: string | null,
  opts: BrokerOptions = {},
): Broker {
  return {
    userId,
    publicKey: keyOrCertificatePem ? createPublicKey(keyOrCertificatePem) : undefined,
    permissions: { ...DEFAULT_PERMISSIONS, ...opts.permissions },
    senders: opts.senders ?? [],
  };
}

/** Organisation number: 9 digits, mod-11 check digit. */
export function validOrganisationNumber(id: string): boolean {
  if (!/^\d{9}$/.test(id)) return false;
  const d = [...id].map(Number);
  const r = 11 - ([3, 2, 7, 6, 5, 4, 3, 2].reduce((s, w, i) => s + w * d[i]!, 0) % 11);
  return (r === 11 ? 0 : r) === d[8];
}

/**
 * Looks a national id up. Registered people are what they were registered as; an id failing the checksum is
 * INVALID; any other id is unknown to Digipost (UNIDENTIFIED, NOT_FOUND).
 */
export function lookUp(people: Map<string, Person>, nationalId: string): Person {
  const p = people.get(nationalId);
  if (p) return p;
  return isValidNationalId(nationalId) ? { kind: 'UNIDENTIFIED', reason: 'NOT_FOUND' } : { kind: 'INVALID' };
}

/**
 * Looks an organisation number up: registered organisations are what they were registered as; a number failing
 * the mod-11 check is INVALID (INVALID_ORGANISATION_NUMBER); any other is not a Digipost user (UNIDENTIFIED).
 */
export function lookUpOrganisation(orgs: Map<string, Organisation>, orgNumber: string): Person {
  if (!validOrganisationNumber(orgNumber)) return { kind: 'INVALID' };
  return orgs.get(orgNumber)?.kind === 'DIGIPOST'
    ? { kind: 'DIGIPOST' }
    : { kind: 'UNIDENTIFIED', reason: 'NOT_FOUND' };
}
