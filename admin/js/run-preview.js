// Forhåndsvisning av kjøringen: before «Send kjøring» is confirmed, what the run will do with each queued letter
// (POST /v1/runs/preview: Digipost is asked who has a digital mailbox; nothing is sent), the totals and the cost
// by the price list valid today.
import { html } from './html.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { api } from './api.js';
import { formatDate, formatNok } from './ui.js';

export const FORECAST = { DIGITAL: 'Digitalt (Digipost)', PRINT: 'Print', NOT_REACHABLE: 'Kan ikke sendes' };

/** The preview's failure in words an operator can act on (the API's own message is for developers). */
function previewError(e) {
  if (e.status === 409) return 'Virksomheten har ingen aktiv Digipost-avtale, så kjøringen kan ikke sendes.';
  if (e.status === 502)
    return 'Digipost avviste oppslaget av mottakerne. Kontroller Digipost-oppsettet (sertifikat og avsender).';
  if (e.status === 503)
    return 'Digipost svarer ikke akkurat nå, så mottakerne kunne ikke sjekkes. Prøv igjen om litt.';
  return `Forhåndsvisningen kunne ikke lages (feil ${e.status ?? 'uten svar'}). Prøv igjen.`;
}

export function RunPreview({ open, onConfirm, onCancel }) {
  const ref = useRef(null);
  const [preview, setPreview] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
    if (!open) return;
    let alive = true;
    setPreview(null);
    setError(null);
    api('/v1/runs/preview', { method: 'POST' }).then(
      (p) => alive && setPreview(p),
      (e) => alive && setError(previewError(e)),
    );
    return () => {
      alive = false;
    };
  }, [open]);
  const t = preview?.totals;
  const list = preview?.cost.priceList;
  return html`<dialog ref=${ref} class="wide" aria-labelledby="preview-title" onCancel=${onCancel}>
    <h2 id="preview-title">Forhåndsvisning av kjøringen</h2>
    ${!preview && !error && html`<p class="muted" role="status">Sjekker mottakerne hos Digipost …</p>`}
    ${error && html`<p class="notice error" role="alert">${error}</p>`}
    ${
      preview &&
      html`<p class="muted">Digipost er spurt om hvem som har digital postkasse. Ingenting er sendt ennå.</p>
        <table class="preview-totals">
          <tbody>
            <tr data-total="digital">
              <th>${FORECAST.DIGITAL}</th>
              <td class="num">${t.digital} brev</td>
            </tr>
            <tr data-total="print">
              <th>${FORECAST.PRINT}</th>
              <td class="num">${t.print} brev</td>
            </tr>
            <tr data-total="notReachable">
              <th>${FORECAST.NOT_REACHABLE}</th>
              <td class="num">${t.notReachable} brev</td>
            </tr>
            <tr data-total="letters">
              <th>Totalt</th>
              <td class="num"><strong>${t.letters} brev</strong></td>
            </tr>
            <tr data-total="cost">
              <th>Anslått kostnad</th>
              <td class="num"><strong>${formatNok(preview.cost.total)}</strong></td>
            </tr>
          </tbody>
        </table>
        <p class="muted">
          ${`Porto ${formatNok(preview.cost.postage)} og administrasjonsgebyr ${formatNok(preview.cost.adminFee)}, etter ${list.validFrom ? `prislisten som gjelder fra ${formatDate(list.validFrom)}` : 'standardprislisten'}.`}
        </p>
        ${
          t.notReachable > 0 &&
          html`<p class="notice error">
            ${t.notReachable} brev kan ikke sendes og havner på feillisten. Du kan rette adressen etter
            kjøringen.
          </p>`
        }
        ${
          preview.letters.length > 0 &&
          html`<div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Sak</th>
                  <th>Kanal</th>
                  <th>Årsak</th>
                  <th class="num">Kostnad</th>
                </tr>
              </thead>
              <tbody>
                ${preview.letters.map(
                  (l) =>
                    html`<tr key=${l.id} data-preview=${l.id} data-forecast=${l.forecast}>
                      <td>${l.caseId}</td>
                      <td>${FORECAST[l.forecast] ?? l.forecast}</td>
                      <td>${l.reason ?? ''}</td>
                      <td class="num">${formatNok(l.cost)}</td>
                    </tr>`,
                )}
              </tbody>
            </table>
          </div>`
        }
        ${
          preview.letters.length < t.letters &&
          html`<p class="muted">Viser de første ${preview.letters.length} av ${t.letters} brev.</p>`
        }`
    }
    <div class="row">
      <button onClick=${onConfirm} disabled=${!preview || t.letters === 0}>Bekreft og send kjøring</button>
      <button class="secondary" onClick=${onCancel} autofocus>Avbryt</button>
    </div>
  </dialog>`;
}
