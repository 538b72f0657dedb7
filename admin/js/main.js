// The admin panel's shell: log in, the three areas (Digipost-administrasjon, Innkommende post, Kostnader) and
// hash routes (#/digipost, #/sak/{caseId}, #/kjoring/{runId}, #/innkommende, #/innkommende/{id}, #/innkommende/mottakersystemer,
// #/kostnader).
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { html } from './html.js';
import { api, messageOf } from './api.js';
import { DigipostPage } from './digipost.js';
import { CasePage } from './case.js';
import { RunPage } from './run.js';
import { InboundItem, InboundList } from './inbound.js';
import { ReceivingSystems } from './receiving-systems.js';
import { CostsPage } from './costs.js';
import { AuditPage } from './audit.js';

function useHash() {
  const [hash, setHash] = useState(location.hash || '#/digipost');
  useEffect(() => {
    const on = () => setHash(location.hash || '#/digipost');
    window.addEventListener('hashchange', on);
    return () => window.removeEventListener('hashchange', on);
  }, []);
  return hash;
}

function Login({ onLoggedIn }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState(null);
  async function submit(e) {
    e.preventDefault();
    setError(null);
    try {
      await api('/admin/session', { body: { username, password } });
      onLoggedIn();
    } catch (err) {
      setError(err.status === 401 ? 'Feil brukernavn eller passord.' : messageOf(err));
    }
  }
  return html`<main class="login">
    <section class="card">
      <h1>Postgang – logg inn</h1>
      <form onSubmit=${submit}>
        <label
          >Brukernavn<input
            name="username"
            autocomplete="username"
            required
            autofocus
            value=${username}
            onInput=${(e) => setUsername(e.target.value)}
        /></label>
        <label
          >Passord<input
            name="password"
            type="password"
            autocomplete="current-password"
            required
            value=${password}
            onInput=${(e) => setPassword(e.target.value)}
        /></label>
        <button type="submit">Logg inn</button>
        ${error && html`<p class="notice error" role="alert">${error}</p>`}
      </form>
    </section>
  </main>`;
}

// [href, label, hash prefixes, shown for the tenant?] (the session says what the tenant uses)
const AREAS = [
  [
    '#/digipost',
    'Digipost-administrasjon',
    ['#/digipost', '#/sak/', '#/kjoring/'],
    (t) => t.digipostAgreement,
  ],
  ['#/innkommende', 'Innkommende post', ['#/innkommende'], (t) => t.inbound],
  ['#/kostnader', 'Kostnader', ['#/kostnader'], (t) => t.digipostAgreement],
  ['#/revisjon', 'Revisjonslogg', ['#/revisjon'], () => true],
];

function Page({ hash, temporal, tenant }) {
  const shown = AREAS.filter(([, , , shownFor]) => shownFor(tenant));
  const area = AREAS.find(([, , prefixes]) => prefixes.some((p) => hash.startsWith(p)));
  // a section the tenant does not use (e.g. Digipost without an agreement): its first section instead
  if (!area || !shown.includes(area)) hash = shown[0]?.[0] ?? '#/revisjon';
  const caseMatch = /^#\/sak\/(.+)$/.exec(hash);
  if (caseMatch) return html`<${CasePage} caseId=${decodeURIComponent(caseMatch[1])} temporal=${temporal} />`;
  const runMatch = /^#\/kjoring\/([0-9a-f-]{36})$/.exec(hash);
  if (runMatch) return html`<${RunPage} id=${runMatch[1]} temporal=${temporal} />`;
  const itemMatch = /^#\/innkommende\/([0-9a-f-]{36})$/.exec(hash);
  if (itemMatch) return html`<${InboundItem} id=${itemMatch[1]} temporal=${temporal} />`;
  if (hash === '#/innkommende') return html`<${InboundList} temporal=${temporal} />`;
  if (hash === '#/innkommende/mottakersystemer') return html`<${ReceivingSystems} />`;
  if (hash === '#/kostnader') return html`<${CostsPage} />`;
  if (hash === '#/revisjon') return html`<${AuditPage} />`;
  return html`<${DigipostPage} temporal=${temporal} correctionMode=${tenant.correctionMode} />`;
}

function App() {
  const [session, setSession] = useState(null);
  const hash = useHash();
  const load = () => api('/admin/session').then(setSession, () => setSession({ operator: null }));
  useEffect(() => {
    load();
    const out = () => setSession((s) => ({ ...s, operator: null }));
    window.addEventListener('postgang:logged-out', out);
    return () => window.removeEventListener('postgang:logged-out', out);
  }, []);
  useEffect(() => {
    const area = AREAS.find(([, , prefixes]) => prefixes.some((p) => hash.startsWith(p)));
    document.title = `${area ? area[1] : 'Postgang'} – Postgang`;
  }, [hash]);
  if (!session) return html`<p class="loading">Laster …</p>`;
  if (!session.operator) return html`<${Login} onLoggedIn=${load} />`;
  async function logout() {
    await api('/admin/session', { method: 'DELETE' });
    setSession({ ...session, operator: null });
  }
  return html`<header class="top">
      <span class="brand">Postgang</span>
      <nav aria-label="Hovedmeny">
        ${AREAS.filter(([, , , shownFor]) => shownFor(session.tenant)).map(
          ([href, label, prefixes]) =>
            html`<a href=${href} aria-current=${prefixes.some((p) => hash.startsWith(p)) ? 'page' : undefined}
              >${label}</a
            >`,
        )}
      </nav>
      <span class="who"
        >${session.tenant.name} · ${session.operator.username}
        <button class="secondary" onClick=${logout}>Logg ut</button></span
      >
    </header>
    <main><${Page} hash=${hash} temporal=${session.temporal} tenant=${session.tenant} /></main>`;
}

render(html`<${App} />`, document.getElementById('app'));
