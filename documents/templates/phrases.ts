// Sentences several letters share, in Bokmål.
import { formatDate, formatNok, toOre } from '../norwegian-format';
import type { MergeData } from './merge-data';
import type { Block } from './template-definition';

/** Debtor and, when a collection agency writes, the original creditor. */
export function partiesFacts(d: MergeData): Block {
  const rows: [string, string][] = [['Skyldner', d.debtor.name]];
  if (d.principal) rows.push(['Oppdragsgiver', d.principal.name]);
  return { kind: 'facts', rows };
}

export function payBy(d: MergeData): string {
  return `Betal ${formatNok(toOre(d.total))} innen ${formatDate(d.dueDate)}`;
}

export function contact(d: MergeData): Block {
  const ways = [
    d.creditor.phone && `telefon ${d.creditor.phone}`,
    d.creditor.email && `e-post ${d.creditor.email}`,
  ]
    .filter(Boolean)
    .join(' eller ');
  return {
    kind: 'paragraph',
    text:
      `Har du spørsmål om kravet, kontakt ${d.creditor.name}${ways ? ` på ${ways}` : ''}. ` +
      `Oppgi saksnummer ${d.caseNumber}.`,
  };
}

export const instalments: Block = {
  kind: 'paragraph',
  text: 'Kan du ikke betale hele beløpet innen fristen, ta kontakt før fristen går ut, så kan vi se på en nedbetalingsavtale.',
};
