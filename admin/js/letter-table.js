// The panel's letter tables (the queue, the failure list, a run's letters, «Til egen utsendelse»): every row
// starts with the case (a link to its page) and the recipient; each table's own columns follow.
import { html } from './html.js';
import { TemporalLink } from './ui.js';

/**
 * `columns`: `{ head, cell(letter), className?, attrs?(letter) }` each; `rowAttribute`: the data attribute that
 * names the row's letter (`data-letter`, `data-failure`, …), by which the panel's tests find the row.
 */
export function LetterTable({ letters, columns, rowAttribute }) {
  return html`<div class="table-wrap">
    <table>
      <thead>
        <tr>
          <th>Sak</th>
          <th>Mottaker</th>
          ${columns.map((c) => html`<th class=${c.className}>${c.head}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${letters.map(
          (l) =>
            html`<tr key=${l.id} ...${{ [rowAttribute]: l.id }}>
              <td><a href=${`#/sak/${encodeURIComponent(l.caseId)}`}>${l.caseId}</a></td>
              <td>${l.recipientName}</td>
              ${columns.map((c) => html`<td class=${c.className} ...${c.attrs?.(l) ?? {}}>${c.cell(l)}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** The column that links a letter's workflow in the Temporal Web UI. */
export const workflowColumn = (temporal) => ({
  head: '',
  cell: (l) => html`<${TemporalLink} temporal=${temporal} workflowId=${l.workflowId} />`,
});
