// Inkassovarsel (inkassoloven § 9): the written notice that must precede collection, with at least 14 days to pay.
import { formatDate } from '../norwegian-format';
import { withMinimumDeadline } from './merge-data';
import { contact, instalments, partiesFacts, payBy } from './phrases';
import type { TemplateDefinition } from './template-definition';

export const inkassovarsel: TemplateDefinition = {
  code: 'IKV_inkassovarsel',
  name: 'Inkassovarsel',
  title: 'Inkassovarsel',
  schema: withMinimumDeadline(14, 'inkassoloven § 9'),
  body: (d) => [
    partiesFacts(d),
    {
      kind: 'paragraph',
      text:
        `Vi har ikke mottatt betaling for kravet nedenfor${d.principal ? `, som vi har til behandling for ${d.principal.name}` : ''}. ` +
        'Dette brevet er et varsel etter inkassoloven § 9.',
    },
    { kind: 'claims' },
    { kind: 'payment' },
    {
      kind: 'paragraph',
      bold: true,
      text:
        `${payBy(d)} for å unngå inkasso. Er kravet ikke betalt innen ${formatDate(d.dueDate)}, vil det bli sendt ` +
        'til inkasso. Du kan da bli pålagt å betale inkassokostnader i tillegg til forsinkelsesrente etter ' +
        'forsinkelsesrenteloven.',
    },
    {
      kind: 'paragraph',
      text:
        'Mener du at kravet ikke er riktig, må du si fra til oss innen fristen og forklare hvorfor. Kravet blir ' +
        'ikke sendt til inkasso før innsigelsen er vurdert.',
    },
    instalments,
    contact(d),
  ],
};
