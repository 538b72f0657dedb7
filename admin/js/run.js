// The run page (#/kjoring/{id}): one run's counts and history (each status change with its cause), the letters it
// sent, each with the version it sent, what became of that version and the letter's status now; and the «Til egen
// utsendelse» list for the Digipost page.
import { html } from './html.js';
import { GENERIC_ERROR_TEXT } from './texts.js';
import { api, apiPages } from './api.js';
import { LetterTable } from './letter-table.js';
import { LETTER_STATUS, RUN_STATUS, Status, TemporalLink, formatTime, usePolling } from './ui.js';

const PAGE = 500;

/** Every letter of the run, page after page (limit/offset, in the order the run sent them). */
async function runWithLetters(id) {
  const [first, { history }] = await Promise.all([
    api(`/v1/runs/${id}/letters?limit=${PAGE}`),
    api(`/v1/runs/${id}`),
  ]);
  const letters = [...first.letters];
  for (let got = first.letters.length; got === PAGE;) {
    const next = await api(`/v1/runs/${id}/letters?limit=${PAGE}&offset=${letters.length}`);
    letters.push(...next.letters);
    got = next.letters.length;
  }
  return { ...first, letters, history };
}

export function RunPage({ id, temporal }) {
  const [data, error] = usePolling(() => runWithLetters(id), 5000, [id]);
  const run = data?.run;
  const letters = data?.letters ?? [];
  return html`<p><a href="#/digipost">← Digipost-administrasjon</a></p>
    <h1>Kjøring ${run ? formatTime(run.createdAt) : ''}</h1>
    ${error && html`<p class="notice error">${error}</p>`}
    ${
      run &&
      html`<section class="card" aria-labelledby="run-summary">
        <h2 id="run-summary">Oversikt</h2>
        <p>
          <${Status} value=${run.status} words=${RUN_STATUS} /> · ${run.counts.total} brev ·
          <span data-count="sentDigital">${run.counts.sentDigital} sendt web</span> ·
          <span data-count="sentPrint">${run.counts.sentPrint} sendt print</span> ·
          <span data-count="notSent">${run.counts.notSent} ikke sendt</span> ·
          <span data-count="waiting">${run.counts.waiting} venter</span> ·
          <${TemporalLink} temporal=${temporal} workflowId=${run.workflowId} />
        </p>
        ${
          data.history.length > 0 &&
          html`<ol class="history" aria-label="Historikk for kjøringen">
            ${data.history.map(
              (h, i) =>
                html`<li key=${i} data-status=${h.status}>
                  ${formatTime(h.at)}: <${Status} value=${h.status} words=${RUN_STATUS} /> – ${h.cause}
                </li>`,
            )}
          </ol>`
        }
        <p class="muted">
          Tallene gjelder versjonene denne kjøringen sendte. Et brev som er rettet og sendt i en senere
          kjøring, telles der med sin nye versjon.
        </p>
      </section>`
    }
    <section class="card" aria-labelledby="run-letters">
      <h2 id="run-letters">Brev i kjøringen (${letters.length})</h2>
      ${data && letters.length === 0 && html`<p class="muted">Ingen brev i denne kjøringen.</p>`}
      ${
        letters.length > 0 &&
        html`<${LetterTable}
          letters=${letters}
          rowAttribute="data-letter"
          columns=${[
            { head: 'Mal', cell: (l) => l.templateCode },
            { head: 'Versjon', className: 'num', cell: (l) => l.version },
            {
              head: 'Utfall i kjøringen',
              cell: (l) =>
                html`<${Status} value=${l.status} words=${LETTER_STATUS} />
                  ${l.status === 'NOT_SENT' && html`<div class="muted">${l.reasonText ?? GENERIC_ERROR_TEXT}</div>`}`,
            },
            {
              head: 'Status nå',
              attrs: (l) => ({ 'data-current': l.currentStatus }),
              cell: (l) =>
                html`<${Status} value=${l.currentStatus} words=${LETTER_STATUS} />
                  ${l.currentVersion !== l.version && html` (versjon ${l.currentVersion})`}`,
            },
          ]}
        />`
      }
    </section>`;
}

/** Letters «Til egen utsendelse»: the tenant sends them itself, from their PDF. */
export function SelfSendList({ refresh }) {
  const [data, error] = usePolling(() => apiPages('/v1/letters?status=SELF_SEND', 'items'), 10000, [refresh]);
  const items = data?.items ?? [];
  return html`<section class="card" aria-labelledby="self-send-title">
    <h2 id="self-send-title">Til egen utsendelse (${items.length})</h2>
    ${error && html`<p class="notice error">${error}</p>`}
    ${data && items.length === 0 && html`<p class="muted">Ingen brev til egen utsendelse.</p>`}
    ${
      items.length > 0 &&
      html`<p class="muted">Disse brevene sendes ikke gjennom Digipost. Skriv dem ut eller send dem selv.</p>
        <${LetterTable}
          letters=${items}
          rowAttribute="data-self-send"
          columns=${[
            { head: 'Mal', cell: (l) => l.templateCode },
            { head: 'Opprettet', cell: (l) => formatTime(l.createdAt) },
            {
              head: '',
              cell: (l) =>
                html`<a href=${`/v1/letters/${l.id}/versions/${l.version}/pdf`} target="_blank" rel="noopener"
                  >Åpne PDF (versjon ${l.version})</a
                >`,
            },
          ]}
        />`
    }
  </section>`;
}
