// Rentenota: a statement of late-payment interest charged on a claim. Not Digipost-compatible (no marker): the
// tenant sends it itself.
import { formatDate } from '../norwegian-format';
import { mergeDataSchema } from './merge-data';
import { contact, partiesFacts, payBy } from './phrases';
import type { TemplateDefinition } from './template-definition';

export const rentenota: TemplateDefinition = {
  code: 'rentenota',
  name: 'Rentenota',
  title: 'Rentenota',
  schema: mergeDataSchema,
  body: (d) => {
    const rate = d.interest?.ratePercent;
    const from = d.interest?.from;
    return [
      partiesFacts(d),
      {
        kind: 'paragraph',
        text:
          `Forsinkelsesrente på kravet i sak ${d.caseNumber}` +
          `${rate !== undefined ? ` med ${String(rate).replace('.', ',')} % per år` : ''}` +
          `${from ? ` fra ${formatDate(from)}` : ''} til ${formatDate(d.letterDate)}, beregnet etter ` +
          'forsinkelsesrenteloven.',
      },
      { kind: 'claims' },
      { kind: 'payment' },
      { kind: 'paragraph', text: `${payBy(d)}.` },
      contact(d),
    ];
  },
};
