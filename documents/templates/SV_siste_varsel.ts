// Siste varsel: notice before enforcement (tvangsfullbyrdelsesloven § 4-18), at least 14 days before a petition
// for attachment (utlegg) is sent to the enforcement officer (namsmannen).
import { formatDate } from '../norwegian-format';
import { withMinimumDeadline } from './merge-data';
import { contact, instalments, partiesFacts, payBy } from './phrases';
import type { TemplateDefinition } from './template-definition';

export const sisteVarsel: TemplateDefinition = {
  code: 'SV_siste_varsel',
  name: 'Siste varsel før rettslig inndriving',
  title: 'Siste varsel før rettslig inndriving',
  schema: withMinimumDeadline(14, 'tvangsfullbyrdelsesloven § 4-18'),
  body: (d) => {
    const earlier = [
      d.previousNotices?.inkassovarsel && `inkassovarsel ${formatDate(d.previousNotices.inkassovarsel)}`,
      d.previousNotices?.betalingsoppfordring &&
        `betalingsoppfordring ${formatDate(d.previousNotices.betalingsoppfordring)}`,
    ].filter(Boolean);
    return [
      partiesFacts(d),
      {
        kind: 'paragraph',
        text: `Til tross for tidligere varsler${earlier.length ? ` (${earlier.join(' og ')})` : ''} er kravet nedenfor fortsatt ikke betalt.`,
      },
      { kind: 'claims' },
      { kind: 'payment' },
      {
        kind: 'paragraph',
        bold: true,
        text:
          `${payBy(d)}. Dette er siste varsel før vi begjærer utlegg hos namsmannen, jf. tvangsfullbyrdelsesloven ` +
          '§ 4-18. Er kravet ikke betalt innen fristen, sender vi begjæringen uten nytt varsel. Rettsgebyr og andre ' +
          'kostnader ved den rettslige inndrivingen kommer da i tillegg.',
      },
      instalments,
      contact(d),
    ];
  },
};
