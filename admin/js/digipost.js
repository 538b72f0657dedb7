// Digipost-administrasjon: the queue (delete, send the run), runs waiting at Digipost with live counts, the
// failure list (feilliste) with address correction in place, and search by case number.
import { html } from './html.js';
import { GENERIC_ERROR_TEXT } from './texts.js';
import { useState } from 'preact/hooks';
import { api, apiPages, messageOf } from './api.js';
import { RunPreview } from './run-preview.js';
import { SelfSendList } from './run.js';
import { LetterTable, workflowColumn } from './letter-table.js';
import {
  Confirm,
  LETTER_STATUS,
  Notice,
  RUN_STATUS,
  Status,
  TemporalLink,
  formatTime,
  usePolling,
} from './ui.js';

const POLL_MS = 3000;

function Queue({ temporal, onRunSent }) {
  const [data, error, reload] = usePolling(() => apiPages('/v1/queue?limit=500', 'letters'), POLL_MS);
  const [toDelete, setToDelete] = useState(null);
  const [notice, setNotice] = useState(null);
  const [busy, setBusy] = useState(false);
  const [previewing, setPreviewing] = useState(false);
  const letters = data?.letters ?? [];

  async function remove() {
    const letter = toDelete;
    setToDelete(null);
    try {
      await api(`/v1/letters/${letter.id}`, { method: 'DELETE' });
      setNotice({
        kind: 'ok',
        text: `Brevet til ${letter.recipientName} (sak ${letter.caseId}) er slettet fra køen.`,
      });
    } catch (e) {
      setNotice({ kind: 'error', text: `Kunne ikke slette: ${messageOf(e)}` });
    }
    reload();
  }

  async function sendRun() {
    setPreviewing(false);
    setBusy(true);
    try {
      const run = await api('/v1/runs', { body: {} });
      setNotice({ kind: 'ok', text: `Kjøringen er sendt: ${run.counts.total} brev går til Digipost.` });
      onRunSent();
    } catch (e) {
      setNotice({ kind: 'error', text: `Kunne ikke sende kjøringen: ${messageOf(e)}` });
    }
    setBusy(false);
    reload();
  }

  return html`<section class="card" aria-labelledby="queue-title">
    <div class="row" style="justify-content: space-between; align-items: center">
      <h2 id="queue-title">Kø <span class="muted">(${letters.length} brev venter på kjøring)</span></h2>
      <button onClick=${() => setPreviewing(true)} disabled=${busy || letters.length === 0}>
        Send kjøring
      </button>
    </div>
    <${Notice} notice=${notice} />
    ${error && html`<p class="notice error">${error}</p>`}
    ${
      letters.length === 0
        ? html`<p class="muted">Ingen brev i køen.</p>`
        : html`<${LetterTable}
            letters=${letters}
            rowAttribute="data-letter"
            columns=${[
              { head: 'Mal', cell: (l) => l.templateCode },
              { head: 'Versjon', className: 'num', cell: (l) => l.version },
              { head: 'Status', cell: (l) => html`<${Status} value=${l.status} words=${LETTER_STATUS} />` },
              workflowColumn(temporal),
              {
                head: '',
                cell: (l) =>
                  html`<button
                    class="danger"
                    onClick=${() => setToDelete(l)}
                    aria-label=${`Slett brevet til ${l.recipientName}, sak ${l.caseId}`}
                  >
                    Slett
                  </button>`,
              },
            ]}
          />`
    }
    <${Confirm}
      open=${toDelete !== null}
      title="Slette brevet?"
      text=${toDelete ? `Brevet til ${toDelete.recipientName} (sak ${toDelete.caseId}, ${toDelete.templateCode}) blir ikke sendt.` : ''}
      confirmLabel="Slett brevet"
      onConfirm=${remove}
      onCancel=${() => setToDelete(null)}
    />
    <${RunPreview} open=${previewing} onConfirm=${sendRun} onCancel=${() => setPreviewing(false)} />
  </section>`;
}

function Runs({ temporal, refresh }) {
  const [data, error] = usePolling(() => api('/v1/runs?limit=20'), POLL_MS, [refresh]);
  const runs = data?.runs ?? [];
  return html`<section class="card" aria-labelledby="runs-title">
    <h2 id="runs-title">Kjøringer</h2>
    ${error && html`<p class="notice error">${error}</p>`}
    ${
      runs.length === 0
        ? html`<p class="muted">Ingen kjøringer ennå.</p>`
        : html`<div class="table-wrap">
            <table aria-live="polite">
              <thead>
                <tr>
                  <th>Sendt</th>
                  <th>Status</th>
                  <th class="num">Brev</th>
                  <th class="num">Venter</th>
                  <th class="num">Sendt web</th>
                  <th class="num">Sendt print</th>
                  <th class="num">Ikke sendt</th>
                  <th></th>
                </tr>
              </thead>
              <tbody>
                ${runs.map(
                  (r) =>
                    html`<tr key=${r.id} data-run=${r.id}>
                      <td>${formatTime(r.createdAt)}</td>
                      <td><${Status} value=${r.status} words=${RUN_STATUS} /></td>
                      <td class="num">${r.counts.total}</td>
                      <td class="num" data-count="waiting">${r.counts.waiting}</td>
                      <td class="num" data-count="sentDigital">${r.counts.sentDigital}</td>
                      <td class="num" data-count="sentPrint">${r.counts.sentPrint}</td>
                      <td class="num" data-count="notSent">${r.counts.notSent}</td>
                      <td>
                        <a href=${`#/kjoring/${r.id}`}>Åpne</a> ·
                        <${TemporalLink} temporal=${temporal} workflowId=${r.workflowId} />
                      </td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
    }
  </section>`;
}

/** What a correction does, by the tenant's setting (the session's correctionMode). */
const CORRECTION = {
  QUEUE: {
    setting: 'Rettede brev legges i køen og sendes med neste kjøring.',
    button: 'Legg i kø på nytt med rettet adresse',
    done: 'Det legges i køen og sendes når du sender neste kjøring.',
  },
  SEND_NOW: {
    setting: 'Rettede brev sendes med én gang (innstilling for virksomheten).',
    button: 'Send på nytt med rettet adresse',
    done: 'Det sendes med én gang.',
  },
};

function CorrectionForm({ letter, onDone, correctionMode }) {
  const words = CORRECTION[correctionMode] ?? CORRECTION.QUEUE;
  const a = letter.address ?? { lines: [] };
  const [lines, setLines] = useState((a.lines ?? []).join('\n'));
  const [postalCode, setPostalCode] = useState(a.postalCode ?? '');
  const [city, setCity] = useState(a.city ?? '');
  const [name, setName] = useState(letter.recipientName);
  const [error, setError] = useState(null);
  const id = letter.id.slice(0, 8);
  async function submit(e) {
    e.preventDefault();
    setError(null);
    const body = {
      address: {
        lines: lines
          .split('\n')
          .map((l) => l.trim())
          .filter(Boolean),
        postalCode: postalCode.trim(),
        city: city.trim(),
      },
    };
    if (name.trim() && name.trim() !== letter.recipientName) body.name = name.trim();
    try {
      await api(`/v1/letters/${letter.id}/correction`, { body });
      onDone(
        `Adressen er rettet. Brevet til ${name} lages på nytt som versjon ${letter.version + 1}. ${words.done}`,
      );
    } catch (err) {
      setError(messageOf(err));
    }
  }
  return html`<form
    class="correction"
    onSubmit=${submit}
    aria-label=${`Rett adressen for ${letter.recipientName}`}
  >
    <label
      >Navn<input id=${`name-${id}`} name="name" value=${name} onInput=${(e) => setName(e.target.value)}
    /></label>
    <label
      >Adresselinjer (én per linje)<textarea
        name="lines"
        rows="2"
        required
        value=${lines}
        onInput=${(e) => setLines(e.target.value)}
      ></textarea>
    </label>
    <label
      >Postnummer<input
        name="postalCode"
        inputmode="numeric"
        pattern="[0-9]{4}"
        required
        value=${postalCode}
        onInput=${(e) => setPostalCode(e.target.value)}
    /></label>
    <label
      >Poststed<input name="city" required value=${city} onInput=${(e) => setCity(e.target.value)}
    /></label>
    <div class="row"><button type="submit">${words.button}</button></div>
    ${error && html`<p class="notice error" role="alert">${error}</p>`}
  </form>`;
}

function Failures({ temporal, refresh, correctionMode }) {
  const [data, error, reload] = usePolling(() => apiPages('/v1/failures?limit=500', 'letters'), POLL_MS, [
    refresh,
  ]);
  const [open, setOpen] = useState(null);
  const [notice, setNotice] = useState(null);
  const letters = (data?.letters ?? []).filter((l) => !l.closed);
  return html`<section class="card" aria-labelledby="failures-title">
    <h2 id="failures-title">Feilliste <span class="muted">(${letters.length} ikke sendt)</span></h2>
    <p class="muted" data-correction-mode=${correctionMode}>
      ${(CORRECTION[correctionMode] ?? CORRECTION.QUEUE).setting}
    </p>
    <${Notice} notice=${notice} />
    ${error && html`<p class="notice error">${error}</p>`}
    ${
      letters.length === 0
        ? html`<p class="muted">Ingen brev i feillisten.</p>`
        : html`<${LetterTable}
            letters=${letters}
            rowAttribute="data-failure"
            columns=${[
              { head: 'Årsak', cell: (l) => l.failure.reasonText ?? GENERIC_ERROR_TEXT },
              {
                head: 'Adresse',
                cell: (l) =>
                  html`${[...(l.address.lines ?? []), [l.address.postalCode, l.address.city].filter(Boolean).join(' ')].filter(Boolean).join(', ')}
                  ${
                    open === l.id &&
                    html`<${CorrectionForm}
                      letter=${l}
                      correctionMode=${correctionMode}
                      onDone=${(text) => {
                        setOpen(null);
                        setNotice({ kind: 'ok', text });
                        reload();
                      }}
                    />`
                  }`,
              },
              workflowColumn(temporal),
              {
                head: '',
                cell: (l) =>
                  html`<button
                    class="secondary"
                    aria-expanded=${open === l.id}
                    onClick=${() => setOpen(open === l.id ? null : l.id)}
                  >
                    Rett adresse
                  </button>`,
              },
            ]}
          />`
    }
  </section>`;
}

function CaseSearch() {
  const [caseId, setCaseId] = useState('');
  return html`<section class="card" aria-labelledby="search-title">
    <h2 id="search-title">Søk etter sak</h2>
    <form
      class="row"
      role="search"
      onSubmit=${(e) => {
        e.preventDefault();
        if (caseId.trim()) location.hash = `#/sak/${encodeURIComponent(caseId.trim())}`;
      }}
    >
      <label
        >Saksnummer<input name="caseId" value=${caseId} onInput=${(e) => setCaseId(e.target.value)} required
      /></label>
      <button type="submit">Søk</button>
    </form>
  </section>`;
}

export function DigipostPage({ temporal, correctionMode }) {
  const [refresh, setRefresh] = useState(0);
  return html`<h1>Digipost-administrasjon</h1>
    <${CaseSearch} />
    <${Queue} temporal=${temporal} onRunSent=${() => setRefresh((n) => n + 1)} />
    <${Runs} temporal=${temporal} refresh=${refresh} />
    <${Failures} temporal=${temporal} refresh=${refresh} correctionMode=${correctionMode} />
    <${SelfSendList} refresh=${refresh} />`;
}
