// Kostnader: totals per month and channel for a period (one GET /v1/costs answers every month), a stacked bar
// chart in SVG, the prices the ledger applied, the CSV export, and the tenant's price lists (GET/PUT /v1/prices).
// Months and dates in nb-NO whatever the browser's locale.
import { html } from './html.js';
import { useState } from 'preact/hooks';
import { api } from './api.js';
import { CHANNEL, Notice, formatDate, formatNok, usePolling } from './ui.js';

const shortMonth = new Intl.DateTimeFormat('nb-NO', { month: 'short', timeZone: 'UTC' });
const longMonth = new Intl.DateTimeFormat('nb-NO', { month: 'long', year: 'numeric', timeZone: 'UTC' });
const pad = (n) => String(n).padStart(2, '0');
const lastDay = (y, m) => new Date(Date.UTC(y, m, 0)).getUTCDate();

/** The calendar months from `from` to `to` (YYYY-MM), at most `cap`. */
function monthsBetween(from, to, cap = 36) {
  const out = [];
  let [y, m] = from.split('-').map(Number);
  const [ty, tm] = to.split('-').map(Number);
  while ((y < ty || (y === ty && m <= tm)) && out.length < cap) {
    const at = new Date(Date.UTC(y, m - 1, 15));
    out.push({
      key: `${y}-${pad(m)}`,
      year: y,
      month: m,
      short: shortMonth.format(at),
      label: longMonth.format(at),
    });
    m += 1;
    if (m > 12) {
      m = 1;
      y += 1;
    }
  }
  return out;
}

/** Round axis steps (1, 2 or 5 × 10ⁿ kr) so that about four of them cover `max`. */
function axisTicks(max) {
  if (max <= 0) return { ticks: [0], top: 1 };
  const raw = max / 4;
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((f) => f * p).find((s) => s >= raw);
  const top = Math.ceil(max / step) * step;
  const ticks = [];
  for (let v = 0; v <= top + step / 2; v += step) ticks.push(Math.round(v * 100) / 100);
  return { ticks, top, step };
}

const COLORS = { DIGIPOST: '#0b5fae', PRINT: '#d97706', admin: '#6b7280' };
const colorOf = (c) => COLORS[c] ?? '#7c3aed';

function Chart({ rows, channels }) {
  const W = 720,
    H = 260,
    left = 70,
    bottom = 44,
    top = 10;
  const max = Math.max(0, ...rows.map((r) => r.total));
  const { ticks, top: axisTop, step } = axisTicks(max);
  const bw = (W - left - 10) / rows.length;
  const y = (v) => top + (H - top - bottom) * (1 - v / axisTop);
  // a label needs about 34 px: show every n-th month so that none overlap; the year under January and the first
  const every = Math.max(1, Math.ceil(34 / bw));
  const tickMoney = new Intl.NumberFormat('nb-NO', {
    style: 'currency',
    currency: 'NOK',
    maximumFractionDigits: step !== undefined && step < 1 ? 2 : 0,
  });
  const series = [...channels, 'admin'];
  return html`<figure>
    <svg class="chart" viewBox=${`0 0 ${W} ${H}`} role="img" aria-label="Kostnader per måned og kanal">
      ${ticks.map(
        (v) =>
          html`<g class="y-tick">
            <line x1=${left} x2=${W - 10} y1=${y(v)} y2=${y(v)} stroke="#d7dbe3" />
            <text x=${left - 6} y=${y(v) + 4} text-anchor="end" font-size="11" fill="#5a6272"
              >${tickMoney.format(v)}</text
            >
          </g>`,
      )}
      ${
        max === 0 &&
        html`<text x=${(W + left) / 2} y=${H / 2} text-anchor="middle" font-size="13" fill="#5a6272"
          >Ingen kostnader i perioden</text
        >`
      }
      ${rows.map((r, i) => {
        let acc = 0;
        const showLabel = i % every === 0;
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
          ${
            showLabel &&
            html`<text
              class="x-label"
              x=${left + i * bw + bw / 2}
              y=${H - bottom + 16}
              text-anchor="middle"
              font-size="11"
              fill="#5a6272"
              >${r.short}</text
            >`
          }
          ${
            showLabel &&
            (i === 0 || rows[i - every].year !== r.year) &&
            html`<text
              x=${left + i * bw + bw / 2}
              y=${H - bottom + 30}
              text-anchor="middle"
              font-size="11"
              fill="#5a6272"
              >${r.year}</text
            >`
          }
        </g>`;
      })}
    </svg>
    <figcaption class="legend">
      ${series.map((s) => html`<span style=${`--c: ${colorOf(s)}`}>${s === 'admin' ? 'Administrasjonsgebyr' : (CHANNEL[s] ?? s)}</span>`)}
    </figcaption>
  </figure>`;
}

const orePrice = (ore) => formatNok(ore / 100);
/** A price list's prices in the order the table and the form show them: API key, form field, Norwegian label. */
const PRICE_FIELDS = [
  { key: 'digitalPerLetter', name: 'digital', label: 'Digitalt brev' },
  { key: 'printPerLetter', name: 'print', label: 'Print, første ark' },
  { key: 'printPerExtraSheet', name: 'extraSheet', label: 'Per ekstra ark' },
  { key: 'adminFeePerLetter', name: 'fee', label: 'Administrasjonsgebyr' },
];
/** Øre as kroner for an input field, with a decimal comma. */
const kr = (ore) => (ore / 100).toFixed(2).replace('.', ',');
const listName = (l) => (l.validFrom ? formatDate(l.validFrom) : 'Standard (før første prisliste)');

function PriceTable({ lists, current, caption }) {
  return html`<div class="table-wrap">
    <table>
      <caption class="muted">
        ${caption}
      </caption>
      <thead>
        <tr>
          <th>Gyldig fra</th>
          ${PRICE_FIELDS.map((field) => html`<th class="num">${field.label}</th>`)}
        </tr>
      </thead>
      <tbody>
        ${lists.map(
          (l) =>
            html`<tr data-price-list=${l.validFrom ?? 'standard'}>
              <td>
                ${listName(l)}
                ${current && current.validFrom === l.validFrom && html` <span class="status SENT_DIGITAL">Gjelder i dag</span>`}
              </td>
              ${PRICE_FIELDS.map((field) => html`<td class="num">${orePrice(l.prices[field.key])}</td>`)}
            </tr>`,
        )}
      </tbody>
    </table>
  </div>`;
}

/** "1.4.2026" or "01.04.2026" as 2026-04-01; anything else as typed (the API then names the field). */
function isoDay(text) {
  const m = /^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s*$/.exec(text);
  return m ? `${m[3]}-${pad(Number(m[2]))}-${pad(Number(m[1]))}` : text.trim();
}

/** The tenant's price lists, and a form for a new one valid from a date. */
function PriceLists() {
  const [data, error, reload] = usePolling(() => api('/v1/prices'), 0);
  const [notice, setNotice] = useState(null);
  async function save(e) {
    e.preventDefault();
    const f = new FormData(e.target);
    const validFrom = isoDay(String(f.get('validFrom')));
    const ore = (name) => Math.round(Number(String(f.get(name)).replace(',', '.')) * 100);
    try {
      await api('/v1/prices', {
        method: 'PUT',
        body: {
          validFrom,
          prices: Object.fromEntries(PRICE_FIELDS.map((field) => [field.key, ore(field.name)])),
        },
      });
      setNotice({
        kind: 'ok',
        text: `Prislisten som gjelder fra ${formatDate(validFrom)} er lagret.`,
      });
      reload();
    } catch (err) {
      const text =
        err.code === 'ALREADY_BILLED'
          ? 'Det er allerede fakturert brev på eller etter denne datoen. En ny prisliste må gjelde fra en senere dag.'
          : err.status === 400
            ? 'Kontroller feltene: en gyldig dato, og priser i kroner som ikke er negative.'
            : `Prislisten kunne ikke lagres (feil ${err.status ?? 'uten svar'}).`;
      setNotice({ kind: 'error', text });
    }
  }
  const p = data?.current.prices;
  return html`<section class="card" aria-labelledby="prices-title">
    <h2 id="prices-title">Prisliste</h2>
    <p class="muted">
      Hver kjøring faktureres etter prislisten som gjelder på kjøringens dato. Priser i kroner; print
      faktureres per ark (to sider per ark).
    </p>
    ${error && html`<p class="notice error">Prislisten kunne ikke hentes.</p>`}
    ${data && html`<${PriceTable} lists=${data.lists} current=${data.current} caption="Prislister" />`}
    <h3>Ny prisliste</h3>
    <${Notice} notice=${notice} />
    ${
      p &&
      html`<form class="row" onSubmit=${save}>
        <label>Gyldig fra<input name="validFrom" placeholder="dd.mm.åååå" required /></label>
        ${PRICE_FIELDS.map(
          (field) =>
            html`<label
              >${field.label} (kr)<input
                name=${field.name}
                inputmode="decimal"
                required
                value=${kr(p[field.key])}
            /></label>`,
        )}
        <button type="submit">Lagre prisliste</button>
      </form>`
    }
  </section>`;
}

export function CostsPage() {
  // the default period, the last twelve months, is the browser's own month; months are labelled nb-NO
  const now = new Date();
  const thisMonth = `${now.getFullYear()}-${pad(now.getMonth() + 1)}`;
  const yearAgo = new Date(now.getFullYear(), now.getMonth() - 11, 1);
  const [from, setFrom] = useState(`${yearAgo.getFullYear()}-${pad(yearAgo.getMonth() + 1)}`);
  const [to, setTo] = useState(thisMonth);
  const months = from && to && from <= to ? monthsBetween(from, to) : [];
  // the months to choose from: four years back and the next month, labelled nb-NO (not the browser's widget)
  const start = new Date(now.getFullYear(), now.getMonth() - 47, 1);
  const end = new Date(now.getFullYear(), now.getMonth() + 1, 1);
  const choices = monthsBetween(
    `${start.getFullYear()}-${pad(start.getMonth() + 1)}`,
    `${end.getFullYear()}-${pad(end.getMonth() + 1)}`,
    60,
  ).reverse();
  const last = months[months.length - 1];
  const period = last ? `from=${from}-01&to=${last.key}-${pad(lastDay(last.year, last.month))}` : '';
  const [costs, error] = usePolling(async () => (period ? api(`/v1/costs?${period}`) : null), 0, [period]);
  const rows = costs
    ? months.map((m) => {
        const c = costs.months.find((x) => x.month === m.key);
        return {
          ...m,
          byChannel: Object.fromEntries((c?.channels ?? []).map((ch) => [ch.channel, ch.postage])),
          letters: Object.fromEntries((c?.channels ?? []).map((ch) => [ch.channel, ch.letters])),
          admin: c?.adminFee.amount ?? 0,
          credits: c?.credits.amount ?? 0,
          total: c?.total ?? 0,
        };
      })
    : null;
  const channels = [...new Set((costs?.channels ?? []).map((c) => c.channel))].sort();
  return html`<h1>Kostnader</h1>
    <section class="card" aria-labelledby="period-title">
      <h2 id="period-title">Periode</h2>
      <form class="row" onSubmit=${(e) => e.preventDefault()}>
        <label
          >Fra måned<select name="from" value=${from} onChange=${(e) => setFrom(e.target.value)}>
            ${choices.filter((c) => c.key <= to).map((c) => html`<option value=${c.key}>${c.label}</option>`)}
          </select></label
        >
        <label
          >Til måned<select name="to" value=${to} onChange=${(e) => setTo(e.target.value)}>
            ${choices.filter((c) => c.key >= from).map((c) => html`<option value=${c.key}>${c.label}</option>`)}
          </select></label
        >
      </form>
      <p class="muted">
        Digiposts pris per kanal pluss administrasjonsgebyr per sendt tiltak. Feilet utskriften etter at
        brevet ble sendt, krediteres portoen; gebyret står.
      </p>
      ${period && html`<p><a href=${`/v1/costs.csv?${period}`} download>Last ned CSV for perioden</a> <span class="muted">(én linje per sendt brevversjon og per kreditering)</span></p>`}
    </section>
    ${error && html`<p class="notice error">Kostnadene kunne ikke hentes.</p>`}
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
                  <th class="num">Kreditert</th>
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
                      <td class="num">${formatNok(r.credits)}</td>
                      <td class="num"><strong>${formatNok(r.total)}</strong></td>
                    </tr>`,
                )}
              </tbody>
              <tfoot>
                <tr>
                  <th>Sum</th>
                  ${channels.map((c) => html`<td class="num">${formatNok(costs.channels.find((x) => x.channel === c)?.postage ?? 0)}</td>`)}
                  <td class="num">${formatNok(costs.adminFee.amount)}</td>
                  <td class="num">${formatNok(costs.credits.amount)}</td>
                  <td class="num" data-total><strong>${formatNok(costs.total)}</strong></td>
                </tr>
              </tfoot>
            </table>
          </div>
        </section>
        <section class="card" aria-labelledby="applied-title">
          <h2 id="applied-title">Priser brukt i perioden</h2>
          ${
            costs.pricesApplied.length === 0
              ? html`<p class="muted">Ingen brev er fakturert i perioden.</p>`
              : html`<div data-prices-applied>
                  <${PriceTable}
                    lists=${costs.pricesApplied}
                    caption="Prislistene brevene i perioden ble fakturert etter"
                  />
                </div>`
          }
        </section>`
    }
    <${PriceLists} />`;
}
