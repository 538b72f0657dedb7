// Betalingsoppfordring (inkassoloven § 10): the collection agency's demand, again with at least 14 days to pay.
import { formatDate } from '../norwegian-format';
import { withMinimumDeadline } from './merge-data';
import { contact, instalments, partiesFacts, payBy } from './phrases';
import type { TemplateDefinition } from './template-definition';

export const betalingsoppfordring: TemplateDefinition = {
  code: 'BO_betalingsoppfordring',
  name: 'Betalingsoppfordring',
  title: 'Betalingsoppfordring',
  schema: withMinimumDeadline(14, 'inkassoloven § 10'),
  body: (d) => {
    const notice = d.previousNotices?.inkassovarsel;
    return [
      partiesFacts(d),
      {
        kind: 'paragraph',
        text:
          `Kravet nedenfor er ikke betalt${notice ? ` etter inkassovarsel sendt ${formatDate(notice)}` : ''}, og er ` +
          `overlatt til ${d.creditor.name} for inndriving${d.principal ? ` på vegne av ${d.principal.name}` : ''}. ` +
          'Dette brevet er en betalingsoppfordring etter inkassoloven § 10.',
      },
      { kind: 'claims' },
      { kind: 'payment' },
      {
        kind: 'paragraph',
        bold: true,
        text:
          `${payBy(d)}. Er kravet ikke betalt innen fristen, kan det uten nytt varsel bli sendt til rettslig ` +
          'inndriving. Kostnadene ved det kommer i tillegg, og du kan bli pålagt å betale dem.',
      },
      {
        kind: 'paragraph',
        text:
          'Har du innsigelser mot kravet, må du gi oss skriftlig beskjed innen fristen. Gjelder innsigelsen om ' +
          'kravet er rettmessig, stanser vi inndrivingen til innsigelsen er behandlet.',
      },
      instalments,
      contact(d),
    ];
  },
};
