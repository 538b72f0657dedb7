// Saldooppgave: the balance of a case on a given date, for information. Not Digipost-compatible (no marker).
import { formatDate } from '../norwegian-format';
import { mergeDataSchema } from './merge-data';
import { contact, partiesFacts } from './phrases';
import type { TemplateDefinition } from './template-definition';

export const saldoOppgave: TemplateDefinition = {
  code: 'saldo_oppgave',
  name: 'Saldooppgave',
  title: 'Saldooppgave',
  schema: mergeDataSchema,
  body: (d) => [
    partiesFacts(d),
    { kind: 'paragraph', text: `Saldo i sak ${d.caseNumber} per ${formatDate(d.letterDate)}.` },
    { kind: 'claims' },
    { kind: 'payment' },
    {
      kind: 'paragraph',
      text: 'Oppgaven er til orientering. Stemmer saldoen ikke med dine opplysninger, ta kontakt med oss.',
    },
    contact(d),
  ],
};
