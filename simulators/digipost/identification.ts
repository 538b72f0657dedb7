// Recipient identification (digipost-api.md §3) against the population register.
import { createHash } from 'node:crypto';
import { lookUp, validOrganisationNumber, type Person } from './register';
import { text, type Xml } from './xml';

/** The `<identification-result>` content for an `<identification>` request. */
export function identify(people: Map<string, Person>, id: Xml): Xml {
  const alias = (nid: string) => createHash('sha256').update(`alias:${nid}`).digest('hex').slice(0, 40);
  const wantAlias = text(id['@include-personalias-for-digipost-user']) === 'true';
  const pin = text(id['personal-identification-number']);
  const address = text(id['digipost-address']);
  const org = text(id['organisation-number']);
  if (pin !== undefined) {
    const p = lookUp(people, pin);
    if (p.kind === 'DIGIPOST')
      return { result: 'DIGIPOST', ...(wantAlias ? { 'person-alias': p.personAlias ?? alias(pin) } : {}) };
    if (p.kind === 'IDENTIFIED') return { result: 'IDENTIFIED', 'person-alias': p.personAlias ?? alias(pin) };
    if (p.kind === 'INVALID')
      return { result: 'INVALID', 'invalid-reason': 'INVALID_PERSONAL_IDENTIFICATION_NUMBER' };
    return { result: 'UNIDENTIFIED', 'unidentified-reason': p.reason ?? 'NOT_FOUND' };
  }
  if (address !== undefined) {
    const found = [...people.entries()].find(
      ([, p]) => p.kind === 'DIGIPOST' && p.digipostAddress === address,
    );
    if (found)
      return {
        result: 'DIGIPOST',
        'digipost-address': address,
        ...(wantAlias ? { 'person-alias': alias(found[0]) } : {}),
      };
    return { result: 'UNIDENTIFIED', 'unidentified-reason': 'NOT_FOUND' };
  }
  if (org !== undefined && !validOrganisationNumber(org))
    return { result: 'INVALID', 'invalid-reason': 'INVALID_ORGANISATION_NUMBER' };
  return { result: 'UNIDENTIFIED', 'unidentified-reason': 'NOT_FOUND' };
}
