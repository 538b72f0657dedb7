// Shared pieces of the panel: the status words, formatting, the Temporal link, PDF preview, notices, polling.
import { html } from './html.js';
import { useEffect, useRef, useState } from 'preact/hooks';
import { fileUrl, messageOf } from './api.js';

// The status words come from domain/ (GET /admin/js/vocabulary.js, built by the API); the panel keeps no copy.
export { LETTER_STATUS, RUN_STATUS, INBOUND_STATUS } from './vocabulary.js';

export const CHANNEL = { DIGIPOST: 'Digipost (web)', DIGITAL: 'Digipost (web)', PRINT: 'Print' };

const dateTime = new Intl.DateTimeFormat('nb-NO', { dateStyle: 'short', timeStyle: 'short' });
export const formatTime = (iso) => (iso ? dateTime.format(new Date(iso)) : '–');
const calendarDay = new Intl.DateTimeFormat('nb-NO', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});
/** A calendar day (YYYY-MM-DD) in Norwegian: "1. april 2026". */
export const formatDate = (ymd) => (ymd ? calendarDay.format(new Date(`${ymd}T00:00:00Z`)) : '–');
const money = new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK' });
export const formatNok = (n) => money.format(n);

/** "3 t", "2 d": how long ago, in short words. */
export function age(iso) {
  const minutes = Math.max(0, Math.round((Date.now() - new Date(iso).getTime()) / 60_000));
  if (minutes < 60) return `${minutes} min`;
  if (minutes < 48 * 60) return `${Math.round(minutes / 60)} t`;
  return `${Math.round(minutes / 1440)} d`;
}

export function Status({ value, words }) {
  return html`<span class=${`status ${value}`}>${words[value] ?? value}</span>`;
}

/** A link to the workflow in the Temporal Web UI (none when the UI is not configured). */
export function TemporalLink({ temporal, workflowId }) {
  if (!temporal?.uiUrl) return null;
  const href = `${temporal.uiUrl}/namespaces/${encodeURIComponent(temporal.namespace)}/workflows/${encodeURIComponent(workflowId)}`;
  return html`<a href=${href} target="_blank" rel="noopener" title=${`Arbeidsflyt ${workflowId} i Temporal`}
    >Temporal</a
  >`;
}

export function Notice({ notice }) {
  if (!notice) return null;
  return html`<p class=${`notice ${notice.kind}`} role=${notice.kind === 'error' ? 'alert' : 'status'}>
    ${notice.text}
  </p>`;
}

/** A PDF shown in the page (fetched with the session, shown from an object URL). */
export function PdfPreview({ src, title }) {
  const [url, setUrl] = useState(null);
  const [error, setError] = useState(null);
  useEffect(() => {
    let revoked = false;
    let made = null;
    setUrl(null);
    setError(null);
    fileUrl(src).then(
      (u) => {
        made = u;
        if (!revoked) setUrl(u);
      },
      (e) => setError(messageOf(e)),
    );
    return () => {
      revoked = true;
      if (made) URL.revokeObjectURL(made);
    };
  }, [src]);
  if (error) return html`<p class="notice error">${error}</p>`;
  if (!url) return html`<p class="muted">Laster dokumentet …</p>`;
  return html`<iframe class="preview" src=${url} title=${title}></iframe>`;
}

/** Runs `load` now and every `ms` while the component is shown; returns [data, error, reload]. */
export function usePolling(load, ms, deps = []) {
  const [data, setData] = useState(null);
  const [error, setError] = useState(null);
  const loadRef = useRef(load);
  loadRef.current = load;
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let alive = true;
    const run = () =>
      loadRef.current().then(
        (d) => {
          if (alive) {
            setData(d);
            setError(null);
          }
        },
        (e) => alive && setError(messageOf(e)),
      );
    run();
    const timer = ms ? setInterval(run, ms) : null;
    return () => {
      alive = false;
      if (timer) clearInterval(timer);
    };
  }, [...deps, tick]);
  return [data, error, () => setTick((t) => t + 1)];
}

/** A modal confirmation (native <dialog>: focus is trapped, Escape cancels). */
export function Confirm({ open, title, text, confirmLabel, onConfirm, onCancel }) {
  const ref = useRef(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);
  return html`<dialog ref=${ref} aria-labelledby="confirm-title" onCancel=${onCancel}>
    <h2 id="confirm-title">${title}</h2>
    <p>${text}</p>
    <div class="row">
      <button class="danger" onClick=${onConfirm}>${confirmLabel}</button>
      <button class="secondary" onClick=${onCancel} autofocus>Avbryt</button>
    </div>
  </dialog>`;
}
