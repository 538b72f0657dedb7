// Recipient identification (digipost-api.md §3) against the population register.
import { createHash } from 'node:crypto';
import { lookUp, lookUpOrganisation, type Organisation, type Person } from './register';
import { text, type Xml } from './xml';

/** The `<identification-result>` content for an `<identification>` request. */
export function identify(people: Map<string, Person>, orgs: Map<string, Organisation>, id: Xml): Xml {
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
  if (org !== undefined) {
    // an organisation's mailbox: DIGIPOST without a digipost-address (as for a national id); no person-alias,
    // which is for people; a non-user is UNIDENTIFIED (inferred, README)
    const o = lookUpOrganisation(orgs, org);
    if (o.kind === 'DIGIPOST') return { result: 'DIGIPOST' };
    if (o.kind === 'INVALID') return { result: 'INVALID', 'invalid-reason': 'INVALID_ORGANISATION_NUMBER' };
    return { result: 'UNIDENTIFIED', 'unidentified-reason': 'NOT_FOUND' };
  }
  return { result: 'UNIDENTIFIED', 'unidentified-reason': 'NOT_FOUND' };
}
