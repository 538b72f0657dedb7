// Recipient identification (digipost-api.md §3): a person by national id, or an organisation by number.
import type { DigipostTransport } from './transport';
import { str, xmlDocument } from './xml';

export type IdentificationResult = 'DIGIPOST' | 'IDENTIFIED' | 'UNIDENTIFIED' | 'INVALID' | (string & {});

export interface Identification {
  result: IdentificationResult;
  personAlias?: string;
  digipostAddress?: string;
  /** unidentified-reason or invalid-reason. */
  reason?: string;
}

export async function identify(
  t: DigipostTransport,
  recipient: string | { orgNumber: string },
): Promise<Identification> {
  const body = xmlDocument('identification', {
    '@include-personalias-for-digipost-user': 'false',
    ...(typeof recipient === 'string'
      ? { 'personal-identification-number': recipient }
      : { 'organisation-number': recipient.orgNumber }),
  });
  const r = await t.xml('POST', await t.link('identify_recipient'), 'identification-result', body);
  return {
    result: str(r.result) ?? '',
    ...(r['person-alias'] !== undefined ? { personAlias: str(r['person-alias']) } : {}),
    ...(r['digipost-address'] !== undefined ? { digipostAddress: str(r['digipost-address']) } : {}),
    ...(r['unidentified-reason'] !== undefined || r['invalid-reason'] !== undefined
      ? { reason: str(r['unidentified-reason'] ?? r['invalid-reason']) }
      : {}),
  };
}
