// Kostnader: totals per month and channel (GET /v1/costs for each month) with a stacked bar chart in SVG.
import { html } from './html.js';
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { CHANNEL, formatNok, usePolling } from './ui.js';

const monthName = new Intl.DateTimeFormat('nb-NO', { month: 'short', year: 'numeric' });
const pad = (n) => String(n).padStart(2, '0');

function monthsBetween(from, to) {
  const out = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while ((y < ty || (y === ty && m <= tm)) && out.length < 36) {
    const last = new Date(Date.UTC(y, m, 0)).getUTCDate();
    out.push({
      key: `${y}-${pad(m)}`,
      from: `${y}-${pad(m)}-01`,
      to: `${y}-${pad(m)}-${pad(last)}`,
      label: monthName.format(new Date(Date.UTC(y, m - 1, 15))),
    });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

const COLORS = { DIGIPOST: '#0b5fae', PRINT: '#d97706', admin: '#6b7280' };
const colorOf = (c) => COLORS[c] ?? '#7c3aed';

function Chart({ rows, channels }) {
  const W = 720,
    H = 260,
    left = 60,
    bottom = 40,
    top = 10;
  const max = Math.max(1, ...rows.map((r) => r.total));
  const bw = (W - left - 10) / rows.length;
  const y = (v) => top + (H - top - bottom) * (1 - v / max);
  const series = [...channels, 'admin'];
  return html`<figure>
    <svg class="chart" viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="Kostnader per måned og kanal">
      ${[0, 0.5, 1].map(
        (f) =>
          html`<g>
            <line x1=${left} x2=${W - 10} y1=${y(max * f)} y2=${y(max * f)} stroke="#d7dbe3" />
            <text x=${left - 6} y=${y(max * f) + 4} text-anchor="end" font-size="11" fill="#5a6272"
              >${Math.round(max * f)} kr</text
            >
          </g>`,
      )}
      ${rows.map((r, i) => {
        let acc = 0;
        return html`<g>
          ${series.map((s) => {
            const v = s === 'admin' ? r.admin : (r.byChannel[s] ?? 0);
            const y0 = y(acc);
            acc += v;
            return (
              v > 0 &&
              html`<rect
                x=${left + i * bw + bw * 0.15}
                width=${bw * 0.7}
                y=${y(acc)}
                height=${y0 - y(acc)}
                fill=${colorOf(s)}
                ><title>
                  ${r.label}: ${s === 'admin' ? 'administrasjonsgebyr' : (CHANNEL[s] ?? s)} ${formatNok(v)}
                </title></rect
              >`
            );
          })}
          <text
            x=${left + i * bw + bw / 2}
            y=${H - bottom + 16}
            text-anchor="middle"
            font-size="11"
            fill="#5a6272"
            >${r.label}</text
          >
        </g>`;
      })}
    </svg>
    <figcaption class="legend">
      ${series.map((s) => html`<span style=${`--c: ${colorOf(s)}`}>${s === 'admin' ? 'Administrasjonsgebyr' : (CHANNEL[s] ?? s)}</span>`)}
    </figcaption>
  </figure>`;
}

export function CostsPage() {
  const now = new Date();
  const thisMonth = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
  const yearAgo = new Date(now.getFullYear(), now.getMonth() - 11, 1);
  const [from, setFrom] = useState(`${yearAgo.getFullYear()}-${pad(yearAgo.getMonth() + 1)}`);
  const [to, setTo] = useState(thisMonth);
  const months = from && to && from <= to ? monthsBetween(from, to) : [];
  const [rows, error] = usePolling(
    async () =>
      Promise.all(
        months.map(async (m) => {
          const c = await api(`/v1/costs?from=${m.from}&to=${m.to}`);
          const byChannel = Object.fromEntries(c.channels.map((ch) => [ch.channel, ch.postage]));
          const letters = Object.fromEntries(c.channels.map((ch) => [ch.channel, ch.letters]));
          return {
            ...m,
            byChannel,
            letters,
            admin: c.adminFee.amount,
            adminLetters: c.adminFee.letters,
            total: c.total,
          };
        }),
      ),
    0,
    [from, to],
  );
  const channels = [...new Set((rows ?? []).flatMap((r) => Object.keys(r.byChannel)))].sort();
  const sum = (f) => (rows ?? []).reduce((n, r) => n + f(r), 0);
  return html`<h1>Kostnader</h1>
    <section class="card" aria-labelledby="period-title">
      <h2 id="period-title">Periode</h2>
      <form class="row" onSubmit=${(e) => e.preventDefault()}>
        <label
          >Fra måned<input
            type="month"
            name="from"
            value=${from}
            max=${to}
            onChange=${(e) => setFrom(e.target.value)}
        /></label>
        <label
          >Til måned<input
            type="month"
            name="to"
            value=${to}
            min=${from}
            onChange=${(e) => setTo(e.target.value)}
        /></label>
      </form>
      <p class="muted">Digiposts pris per kanal pluss 1 kr i administrasjonsgebyr per sendt tiltak.</p>
    </section>
    ${error && html`<p class="notice error">${error}</p>`}
    ${
      rows &&
      html`<section class="card" aria-labelledby="chart-title">
          <h2 id="chart-title">Per måned</h2>
          <${Chart} rows=${rows} channels=${channels} />
        </section>
        <section class="card" aria-labelledby="table-title">
          <h2 id="table-title">Totalt per måned og kanal</h2>
          <div class="table-wrap">
            <table>
              <thead>
                <tr>
                  <th>Måned</th>
                  ${channels.map((c) => html`<th class="num">${CHANNEL[c] ?? c}</th>`)}
                  <th class="num">Administrasjonsgebyr</th>
                  <th class="num">Sum</th>
                </tr>
              </thead>
              <tbody>
                ${rows.map(
                  (r) =>
                    html`<tr key=${r.key} data-month=${r.key}>
                      <td>${r.label}</td>
                      ${channels.map((c) => html`<td class="num">${formatNok(r.byChannel[c] ?? 0)} <span class="muted">(${r.letters[c] ?? 0} brev)</span></td>`)}
                      <td class="num">${formatNok(r.admin)}</td>
                      <td class="num"><strong>${formatNok(r.total)}</strong></td>
                    </tr>`,
                )}
              </tbody>
              <tfoot>
                <tr>
                  <th>Sum</th>
                  ${channels.map((c) => html`<td class="num">${formatNok(sum((r) => r.byChannel[c] ?? 0))}</td>`)}
                  <td class="num">${formatNok(sum((r) => r.admin))}</td>
                  <td class="num" data-total><strong>${formatNok(sum((r) => r.total))}</strong></td>
                </tr>
              </tfoot>
            </table>
          </div>
        </section>`
    }`;
}
