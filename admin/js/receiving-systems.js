// Mottakersystemer: each receiving system's triage rules (archive into the case the sender names; forward by
// the sender's organisation number and/or forsendelseType), shown and edited, and the address of its daily
// digest of flagged items. A rule acts after a delay during which an operator's own decision wins.
import { html } from './html.js';
import { useEffect, useState } from 'preact/hooks';
import { api, messageOf } from './api.js';
import { Notice, formatTime, usePolling } from './ui.js';

function RuleEditor({ system, onSaved }) {
  const [archive, setArchive] = useState(system.rules.archiveIntoNamedCase);
  const [forward, setForward] = useState(system.rules.forward);
  const [digestEmail, setDigestEmail] = useState(system.digestEmail ?? '');
  const [error, setError] = useState(null);
  useEffect(() => {
    setArchive(system.rules.archiveIntoNamedCase);
    setForward(system.rules.forward);
    setDigestEmail(system.digestEmail ?? '');
  }, [system.id]);
  const destinations = system.forwardDestinations;
  const change = (i, field, value) =>
    setForward(forward.map((r, j) => (j === i ? { ...r, [field]: value || undefined } : r)));

  async function save(e) {
    e.preventDefault();
    setError(null);
    try {
      const saved = await api(`/v1/receiving-systems/${system.id}`, {
        method: 'PATCH',
        body: {
          rules: {
            archiveIntoNamedCase: archive,
            forward: forward.map((r) => ({
              ...(r.senderOrgNumber && { senderOrgNumber: r.senderOrgNumber.trim() }),
              ...(r.forsendelseType && { forsendelseType: r.forsendelseType.trim() }),
              destination: r.destination,
            })),
          },
          digestEmail: digestEmail.trim() || null,
        },
      });
      onSaved(saved);
    } catch (err) {
      setError(messageOf(err));
    }
  }

  return html`<form onSubmit=${save} data-rules=${system.id}>
    <fieldset>
      <legend>Regler</legend>
      <label class="inline"
        ><input
          type="checkbox"
          name="archiveIntoNamedCase"
          checked=${archive}
          onChange=${(e) => setArchive(e.target.checked)}
        />
        Arkiver i saken avsenderen oppgir (metadata for import)</label
      >
      <table>
        <thead>
          <tr>
            <th>Avsenders org.nr. (svar sendes til)</th>
            <th>Forsendelsestype</th>
            <th>Videresend til</th>
            <th></th>
          </tr>
        </thead>
        <tbody>
          ${forward.map(
            (r, i) =>
              html`<tr key=${i}>
                <td>
                  <input
                    aria-label=${`Regel ${i + 1}: avsenders organisasjonsnummer`}
                    name=${`senderOrgNumber-${i}`}
                    inputmode="numeric"
                    value=${r.senderOrgNumber ?? ''}
                    onInput=${(e) => change(i, 'senderOrgNumber', e.target.value)}
                  />
                </td>
                <td>
                  <input
                    aria-label=${`Regel ${i + 1}: forsendelsestype`}
                    name=${`forsendelseType-${i}`}
                    value=${r.forsendelseType ?? ''}
                    onInput=${(e) => change(i, 'forsendelseType', e.target.value)}
                  />
                </td>
                <td>
                  <select
                    aria-label=${`Regel ${i + 1}: videresend til`}
                    name=${`destination-${i}`}
                    required
                    value=${r.destination ?? ''}
                    onChange=${(e) => change(i, 'destination', e.target.value)}
                  >
                    <option value="">Velg …</option>
                    ${destinations.map(
                      (d) => html`<option value=${d.id}>${d.name ?? d.id} (${d.email})</option>`,
                    )}
                  </select>
                </td>
                <td>
                  <button
                    type="button"
                    class="secondary"
                    onClick=${() => setForward(forward.filter((_, j) => j !== i))}
                  >
                    Fjern
                  </button>
                </td>
              </tr>`,
          )}
        </tbody>
      </table>
      ${
        destinations.length > 0
          ? html`<p>
              <button
                type="button"
                class="secondary"
                onClick=${() => setForward([...forward, { destination: destinations[0].id }])}
              >
                Legg til videresendingsregel
              </button>
            </p>`
          : html`<p class="muted">Ingen videresendingsmottakere er satt opp for dette mottakersystemet.</p>`
      }
    </fieldset>
    <label
      >E-post for daglig oversikt over forsendelser som har ventet for lenge (valgfritt)<input
        name="digestEmail"
        type="email"
        value=${digestEmail}
        onInput=${(e) => setDigestEmail(e.target.value)}
    /></label>
    <p><button type="submit">Lagre</button></p>
    ${error && html`<p class="notice error" role="alert">${error}</p>`}
  </form>`;
}

export function ReceivingSystems() {
  const [data, error, reload] = usePolling(() => api('/v1/receiving-systems'), 0, []);
  const [notice, setNotice] = useState(null);
  const systems = data?.items ?? [];
  return html`<p><a href="#/innkommende">← Innkommende post</a></p>
    <h1>Mottakersystemer og regler</h1>
    <${Notice} notice=${notice} />
    <p class="muted">
      En regel handler først etter en ventetid (standard 30 minutter). Velger en saksbehandler noe annet for
      forsendelsen i mellomtiden, gjelder saksbehandlerens valg og regelen gjør ingenting.
    </p>
    ${error && html`<p class="notice error">${error}</p>`}
    ${data && systems.length === 0 && html`<p class="muted">Ingen mottakersystemer.</p>`}
    ${systems.map(
      (s) =>
        html`<section class="card" key=${s.id} aria-labelledby=${`rs-${s.id}`}>
          <h2 id=${`rs-${s.id}`}>${s.name}</h2>
          <p class="muted">
            ${`Org.nr. ${s.orgNumbers.join(', ') || '–'} · ${s.active ? 'aktiv' : 'deaktivert'}`}
            ${` · sist hentet ${formatTime(s.lastPolledAt)}`}
          </p>
          ${s.lastPollError && html`<${PollError} text=${s.lastPollError} detail=${s.lastPollErrorDetail} />`}
          <${RuleEditor}
            system=${s}
            onSaved=${() => {
              setNotice({ kind: 'ok', text: `Reglene for ${s.name} er lagret.` });
              reload();
            }}
          />
        </section>`,
    )}`;
}

/**
 * A receiving system's last poll error: the Norwegian text the worker stores, and the service's own words (they
 * may be English) only when the operator opens «Teknisk detalj».
 */
function PollError({ text, detail }) {
  return html`<div class="notice error">
    <p>Siste henting feilet: ${text}.</p>
    ${
      detail &&
      html`<details>
        <summary>Teknisk detalj</summary>
        <code>${detail}</code>
      </details>`
    }
  </div>`;
}
