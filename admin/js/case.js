// The case page (sakside): every letter of one case with its status, versions (each with its history, the
// reason it was not sent, and the run that sent it) and a PDF preview.
import { html } from './html.js';
import { GENERIC_ERROR_TEXT } from './texts.js';
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { LETTER_STATUS, PdfPreview, Status, TemporalLink, formatTime, usePolling } from './ui.js';

/** "Vedlegg 1: Faktura (2 sider)": one string, so the markup's line breaks cannot eat its spaces. */
const attachmentLabel = (a) =>
  `Vedlegg ${a.position + 1}: ${a.title} (${a.pages === 1 ? '1 side' : `${a.pages} sider`})`;

export function CasePage({ caseId, temporal }) {
  const [data, error] = usePolling(() => api(`/v1/cases/${encodeURIComponent(caseId)}/letters`), 5000, [
    caseId,
  ]);
  const [shown, setShown] = useState(null);
  const letters = data?.letters ?? [];
  return html`<p><a href="#/digipost">← Digipost-administrasjon</a></p>
    <h1>Sak ${caseId}</h1>
    ${error && html`<p class="notice error">${error}</p>`}
    <div class="split">
      <section class="card" aria-labelledby="case-letters">
        <h2 id="case-letters">Dokumenter (${letters.length})</h2>
        ${data && letters.length === 0 && html`<p class="muted">Ingen brev i denne saken.</p>`}
        ${letters.map(
          (l) =>
            html`<article
              key=${l.id}
              data-letter=${l.id}
              style="border-bottom: 1px solid var(--line); padding: 0.5rem 0"
            >
              <div class="row" style="justify-content: space-between; align-items: center">
                <strong>${l.templateCode}</strong>
                <${Status} value=${l.status} words=${LETTER_STATUS} />
              </div>
              <p class="muted">
                Til ${l.recipientName} · oppdatert ${formatTime(l.updatedAt)} ·
                <${TemporalLink} temporal=${temporal} workflowId=${l.workflowId} />
              </p>
              ${l.failure && html`<p class="notice error">${l.failure.reasonText ?? GENERIC_ERROR_TEXT}</p>`}
              <ul>
                ${l.versions.map(
                  (v) =>
                    html`<li key=${v.version}>
                      Versjon ${v.version} (${formatTime(v.createdAt)})
                      <button
                        class="secondary"
                        aria-pressed=${shown?.pdf === v.pdf}
                        onClick=${() => setShown({ pdf: v.pdf, title: `${l.templateCode} versjon ${v.version}` })}
                      >
                        Vis PDF
                      </button>
                      ${v.runId && html` · <a href=${`#/kjoring/${v.runId}`}>sendt i kjøring</a>`}
                      ${
                        v.history?.length > 0 &&
                        html`<ol class="history" aria-label="Historikk for versjon ${v.version}">
                          ${v.history.map(
                            (h, i) =>
                              html`<li key=${i} data-status=${h.status}>
                                ${formatTime(h.at)}: <${Status} value=${h.status} words=${LETTER_STATUS} />
                                ${h.status === 'NOT_SENT' && html` – ${h.reasonText ?? GENERIC_ERROR_TEXT}`}
                              </li>`,
                          )}
                        </ol>`
                      }
                      ${
                        v.attachments?.length > 0 &&
                        html`<ul class="attachments" aria-label="Vedlegg til versjon ${v.version}">
                          ${v.attachments.map(
                            (a) =>
                              html`<li key=${a.position}>
                                ${attachmentLabel(a)}
                                <button
                                  class="secondary"
                                  aria-pressed=${shown?.pdf === a.pdf}
                                  onClick=${() => setShown({ pdf: a.pdf, title: `${a.title} (vedlegg)` })}
                                >
                                  Vis PDF
                                </button>
                              </li>`,
                          )}
                        </ul>`
                      }
                    </li>`,
                )}
              </ul>
            </article>`,
        )}
      </section>
      <section class="card" aria-labelledby="case-preview">
        <h2 id="case-preview">Forhåndsvisning</h2>
        ${
          shown
            ? html`<${PdfPreview} src=${shown.pdf} title=${shown.title} />`
            : html`<p class="muted">Velg en versjon for å se dokumentet.</p>`
        }
      </section>
    </div>`;
}
