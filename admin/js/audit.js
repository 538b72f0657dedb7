// Revisjonslogg: who did what (GET /v1/audit), newest first, with «Vis eldre» for the next page.
import { html } from './html.js';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from './api.js';
import { formatTime } from './ui.js';

const ACTOR_KIND = { operator: 'saksbehandler', api_key: 'API-nøkkel' };

export function AuditPage() {
  const [entries, setEntries] = useState([]);
  const [next, setNext] = useState(null);
  const [error, setError] = useState(null);
  const [loaded, setLoaded] = useState(false);
  const load = (before) =>
    api(`/v1/audit?limit=100${before ? `&before=${before}` : ''}`).then(
      (d) => {
        setEntries((e) => (before ? [...e, ...d.entries] : d.entries));
        setNext(d.nextBefore);
        setLoaded(true);
        setError(null);
      },
      (e) => setError(messageOf(e)),
    );
  useEffect(() => {
    load();
  }, []);
  return html`<h1>Revisjonslogg</h1>
    <section class="card" aria-labelledby="audit-title">
      <h2 id="audit-title">Handlinger</h2>
      ${error && html`<p class="notice error">${error}</p>`}
      ${loaded && entries.length === 0 && html`<p class="muted">Ingen handlinger ennå.</p>`}
      ${
        entries.length > 0 &&
        html`<div class="table-wrap">
          <table>
            <thead>
              <tr>
                <th>Tid</th>
                <th>Hvem</th>
                <th>Handling</th>
                <th>Gjelder</th>
              </tr>
            </thead>
            <tbody>
              ${entries.map(
                (e) =>
                  html`<tr key=${e.id} data-audit=${e.action}>
                    <td>${formatTime(e.at)}</td>
                    <td>${e.actor.name} <span class="muted">(${ACTOR_KIND[e.actor.kind]})</span></td>
                    <td>${e.actionText}</td>
                    <td>
                      ${
                        e.detail?.caseId
                          ? html`<a href=${`#/sak/${encodeURIComponent(e.detail.caseId)}`}
                              >Sak ${e.detail.caseId}</a
                            >`
                          : html`<span class="muted">${e.subjectId}</span>`
                      }
                    </td>
                  </tr>`,
              )}
            </tbody>
          </table>
        </div>`
      }
      ${next && html`<button class="secondary" onClick=${() => load(next)}>Vis eldre</button>`}
    </section>`;
}
