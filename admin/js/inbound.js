// Innkommende post: the SvarInn list with filters and age warnings, and one item with its files (PDF preview),
// its history, the three triage actions (arkiver, slett with a reason, videresend) and the journalpost number once
// filed.
import { html } from './html.js';
import { GENERIC_ERROR_TEXT } from './texts.js';
import { useState } from 'preact/hooks';
import { api, messageOf } from './api.js';
import {
  INBOUND_STATUS,
  Notice,
  PdfPreview,
  Status,
  TemporalLink,
  age,
  formatTime,
  usePolling,
} from './ui.js';

const OPEN_FOR_TRIAGE = ['AWAITING_TRIAGE', 'TRIAGE_FAILED'];

export function InboundList({ temporal }) {
  const [status, setStatus] = useState('');
  const [sender, setSender] = useState('');
  const [flagged, setFlagged] = useState(false);
  const query = new URLSearchParams();
  if (status) query.set('status', status);
  if (sender.trim()) query.set('sender', sender.trim());
  if (flagged) query.set('flagged', 'true');
  const [data, error] = usePolling(() => api(`/v1/inbound?${query}`), 5000, [query.toString()]);
  const items = data?.items ?? [];
  const flaggedCount = items.filter((i) => i.flagged).length;
  return html`<h1>Innkommende post</h1>
    <p><a href="#/innkommende/mottakersystemer">Mottakersystemer og regler</a></p>
    <section class="card" aria-labelledby="filters-title">
      <h2 id="filters-title">Filter</h2>
      <form class="row" onSubmit=${(e) => e.preventDefault()}>
        <label
          >Status
          <select name="status" value=${status} onChange=${(e) => setStatus(e.target.value)}>
            <option value="">Alle</option>
            ${Object.entries(INBOUND_STATUS).map(([k, v]) => html`<option value=${k}>${v}</option>`)}
          </select>
        </label>
        <label
          >Avsender (navn eller org.nr.)<input
            name="sender"
            value=${sender}
            onInput=${(e) => setSender(e.target.value)}
        /></label>
        <label class="inline"
          ><input
            type="checkbox"
            name="flagged"
            checked=${flagged}
            onChange=${(e) => setFlagged(e.target.checked)}
          />
          Bare ubehandlet for lenge</label
        >
      </form>
    </section>
    <section class="card" aria-labelledby="items-title">
      <h2 id="items-title">Forsendelser (${items.length})</h2>
      ${
        flaggedCount > 0 &&
        html`<p class="notice error" role="status">
          ${flaggedCount} forsendelse${flaggedCount > 1 ? 'r' : ''} har ventet for lenge.
        </p>`
      }
      ${error && html`<p class="notice error">${error}</p>`}
      ${data && items.length === 0 && html`<p class="muted">Ingen forsendelser.</p>`}
      ${
        items.length > 0 &&
        html`<div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Mottatt</th>
                <th>Tittel</th>
                <th>Avsender</th>
                <th>Til org.nr.</th>
                <th>Status</th>
                <th>Alder</th>
                <th></th>
              </tr>
            </thead>
            <tbody>
              ${items.map(
                (i) =>
                  html`<tr key=${i.id} data-item=${i.id} class=${i.flagged ? 'flagged' : ''}>
                    <td>${formatTime(i.receivedAt)}</td>
                    <td><a href=${`#/innkommende/${i.id}`}>${i.title}</a></td>
                    <td>${i.sender.name ?? '–'} <span class="muted">${i.sender.orgNumber ?? ''}</span></td>
                    <td data-org-number>${i.orgNumber ?? '–'}</td>
                    <td><${Status} value=${i.status} words=${INBOUND_STATUS} /></td>
                    <td>
                      ${age(i.receivedAt)}
                      ${i.flagged && html`<span class="flag" title=${i.flagReason ?? ''}>⚠ Venter for lenge</span>`}
                    </td>
                    <td><${TemporalLink} temporal=${temporal} workflowId=${i.workflowId} /></td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      }
    </section>`;
}

function TriageForm({ item, onDone }) {
  const [action, setAction] = useState('archive');
  const [caseNumber, setCaseNumber] = useState('');
  const [caseTitle, setCaseTitle] = useState('');
  const [reason, setReason] = useState('');
  const [destination, setDestination] = useState('');
  const [error, setError] = useState(null);
  const [system] = usePolling(() => api(`/v1/receiving-systems/${item.receivingSystemId}`), 0, [
    item.receivingSystemId,
  ]);
  const destinations = system?.forwardDestinations ?? [];

  async function submit(e) {
    e.preventDefault();
    setError(null);
    const body =
      action === 'archive'
        ? {
            action,
            ...(caseNumber.trim() && { caseNumber: caseNumber.trim() }),
            ...(caseTitle.trim() && { caseTitle: caseTitle.trim() }),
          }
        : action === 'delete'
          ? { action, reason: reason.trim() }
          : { action, destination };
    try {
      await api(`/v1/inbound/${item.id}/triage`, { body });
      onDone(
        {
          archive: 'Forsendelsen arkiveres.',
          delete: 'Forsendelsen er slettet.',
          forward: 'Forsendelsen videresendes.',
        }[action],
      );
    } catch (err) {
      setError(messageOf(err));
    }
  }
  return html`<form onSubmit=${submit} aria-labelledby="triage-title">
    <h2 id="triage-title">Behandle</h2>
    <fieldset>
      <legend>Handling</legend>
      <label class="inline"
        ><input
          type="radio"
          name="action"
          value="archive"
          checked=${action === 'archive'}
          onChange=${() => setAction('archive')}
        />
        Arkiver</label
      >
      <label class="inline"
        ><input
          type="radio"
          name="action"
          value="delete"
          checked=${action === 'delete'}
          onChange=${() => setAction('delete')}
        />
        Slett</label
      >
      <label class="inline"
        ><input
          type="radio"
          name="action"
          value="forward"
          checked=${action === 'forward'}
          onChange=${() => setAction('forward')}
        />
        Videresend</label
      >
    </fieldset>
    ${
      action === 'archive' &&
      html`<div class="row">
        <label
          >Saksnummer (valgfritt, f.eks. 2026/12)<input
            name="caseNumber"
            value=${caseNumber}
            onInput=${(e) => setCaseNumber(e.target.value)}
        /></label>
        <label
          >Sakstittel for ny sak (valgfritt)<input
            name="caseTitle"
            value=${caseTitle}
            onInput=${(e) => setCaseTitle(e.target.value)}
        /></label>
      </div>`
    }
    ${
      action === 'delete' &&
      html`<label
        >Begrunnelse (påkrevd)<textarea
          name="reason"
          rows="2"
          required
          value=${reason}
          onInput=${(e) => setReason(e.target.value)}
        ></textarea>
      </label>`
    }
    ${
      action === 'forward' &&
      html`<label
        >Mottaker
        <select
          name="destination"
          required
          value=${destination}
          onChange=${(e) => setDestination(e.target.value)}
        >
          <option value="">Velg …</option>
          ${destinations.map((d) => html`<option value=${d.id}>${d.name ?? d.id} (${d.email})</option>`)}
        </select></label
      >`
    }
    <p>
      <button type="submit">${{ archive: 'Arkiver', delete: 'Slett', forward: 'Videresend' }[action]}</button>
    </p>
    ${error && html`<p class="notice error" role="alert">${error}</p>`}
  </form>`;
}

export function InboundItem({ id, temporal }) {
  const [item, error, reload] = usePolling(() => api(`/v1/inbound/${id}`), 3000, [id]);
  const [shown, setShown] = useState(null);
  const [notice, setNotice] = useState(null);
  if (error && !item) return html`<p class="notice error">${error}</p>`;
  if (!item) return html`<p class="muted">Laster …</p>`;
  const t = item.triage;
  return html`<p><a href="#/innkommende">← Innkommende post</a></p>
    <h1>${item.title}</h1>
    <${Notice} notice=${notice} />
    <div class="split">
      <div>
        <section class="card" aria-labelledby="item-meta">
          <h2 id="item-meta">Forsendelse</h2>
          <dl class="meta">
            <dt>Status</dt>
            <dd>
              <${Status} value=${item.status} words=${INBOUND_STATUS} />
              ${item.flagged && html` <span class="flag">⚠ ${item.flagReason ?? 'Venter for lenge'}</span>`}
            </dd>
            ${
              item.pendingRule &&
              html`<dt>Regel</dt>
                <dd data-pending-rule>
                  ${
                    item.pendingRule.action === 'archive'
                      ? `Arkiveres${item.pendingRule.caseNumber ? ` i sak ${item.pendingRule.caseNumber}` : ''}`
                      : `Videresendes til ${item.pendingRule.destination}`
                  }
                  tidligst ${formatTime(item.pendingRule.actsAt)}, med mindre du velger noe annet nedenfor.
                </dd>`
            }
            ${
              item.intakeNote &&
              html`<dt>Merknad</dt>
                <dd data-intake-note>${item.intakeNote}</dd>`
            }
            <dt>Avsender</dt>
            <dd>${item.sender.name ?? '–'} ${item.sender.orgNumber ?? ''}</dd>
            <dt>Til org.nr.</dt>
            <dd>${item.orgNumber ?? '–'}</dd>
            <dt>Type</dt>
            <dd>${item.forsendelseType ?? '–'}</dd>
            <dt>Mottatt</dt>
            <dd>${formatTime(item.receivedAt)}</dd>
            <dt>SvarInn-id</dt>
            <dd>${item.forsendelseId}</dd>
            ${
              item.journalpostNumber &&
              html`<dt>Journalpost</dt>
                <dd data-journalpost>
                  ${item.journalpostNumber}${item.archiveCaseNumber ? ` (sak ${item.archiveCaseNumber})` : ''}
                </dd>`
            }
            ${
              item.forwardedTo &&
              html`<dt>Videresendt til</dt>
                <dd>${item.forwardedTo}</dd>`
            }
            ${
              t &&
              html`<dt>Behandling</dt>
                <dd>
                  ${`${{ archive: 'Arkiver', delete: 'Slett', forward: 'Videresend' }[t.action]} (${t.by === 'rule' ? 'regel' : (item.triagedBy?.name ?? 'saksbehandler')}, ${formatTime(t.at)})${t.reason ? `: ${t.reason}` : ''}`}
                </dd>`
            }
            ${
              item.failureReason &&
              html`<dt>Feil</dt>
                <dd>${item.reasonText ?? GENERIC_ERROR_TEXT}</dd>`
            }
            <dt>Arbeidsflyt</dt>
            <dd><${TemporalLink} temporal=${temporal} workflowId=${item.workflowId} /></dd>
          </dl>
        </section>
        <section class="card" aria-labelledby="item-files">
          <h2 id="item-files">Filer</h2>
          ${item.files.length === 0 && html`<p class="muted">Ingen filer.</p>`}
          <ul>
            ${item.files.map(
              (f) =>
                html`<li key=${f.id}>
                  ${f.filename} <span class="muted">(${Math.ceil(f.size / 1024)} kB)</span>
                  ${
                    f.purged
                      ? html` <span class="muted">slettet</span>`
                      : f.mimeType === 'application/pdf' &&
                        html` <button class="secondary" onClick=${() => setShown(f)}>Vis PDF</button>`
                  }
                </li>`,
            )}
          </ul>
        </section>
        ${
          item.history?.length > 0 &&
          html`<section class="card" aria-labelledby="item-history">
            <h2 id="item-history">Historikk</h2>
            <ol class="history">
              ${item.history.map(
                (h, i) =>
                  html`<li key=${i} data-status=${h.status}>
                    ${formatTime(h.at)}: <${Status} value=${h.status} words=${INBOUND_STATUS} />
                    ${h.reason && html` – ${h.reasonText ?? GENERIC_ERROR_TEXT}`}
                  </li>`,
              )}
            </ol>
          </section>`
        }
        ${
          OPEN_FOR_TRIAGE.includes(item.status) &&
          html`<section class="card">
            <${TriageForm}
              item=${item}
              onDone=${(text) => {
                setNotice({ kind: 'ok', text });
                reload();
              }}
            />
          </section>`
        }
      </div>
      <section class="card" aria-labelledby="item-preview">
        <h2 id="item-preview">Forhåndsvisning</h2>
        ${shown ? html`<${PdfPreview} src=${shown.href} title=${shown.filename} />` : html`<p class="muted">Velg en fil for å se den.</p>`}
      </section>
    </div>`;
}
