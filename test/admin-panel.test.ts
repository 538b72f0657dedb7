// Acceptance for the operator admin panel (issue 6): `npm start` brings the real system up, and Chromium
// (Debian's, driven by playwright-core) logs in as the demo operator and works through every screen:
// queue → delete → set a price list → preview the run → send it → statuses as forecast → correct a failure →
// reissued; triage three inbound items three ways; read the costs, the prices applied and the CSV export. A screenshot of every screen goes to test-results/admin/. Any console error, page error,
// failed request or unexpected non-2xx answer fails the test.
import { describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { execFileSync, spawn } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { loadEnv } from '../config/env';
import { letterRequest, until } from './support/system';
import { DIGIPOST_USER, NON_USER } from './support/digipost';

const SHOTS = 'test-results/admin';
const KEY = 'demo-local-key';
const port = (base: number) => base + Math.floor(Math.random() * 500);

function chromiumPath(): string {
  const configured = loadEnv().CHROMIUM_PATH;
  if (configured) return configured;
  try {
    return execFileSync('which', ['chromium']).toString().trim();
  } catch {
    throw new Error('Chromium not found: `apt-get install -y chromium` or set CHROMIUM_PATH');
  }
}

async function samplePdf(text: string): Promise<string> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText(text, { x: 72, y: 760, size: 14, font: await doc.embedFont(StandardFonts.Helvetica) });
  return Buffer.from(await doc.save()).toString('base64');
}

/** Starts `npm start` on free ports with its own embedded database; resolves once the API answers. */
async function startSystem() {
  const dataDir = mkdtempSync(join(tmpdir(), 'postgang-admin-'));
  chmodSync(dataDir, 0o755); // embedded PostgreSQL runs as a 'postgres' user when the tests run as root
  const apiPort = port(26000);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    API_PORT: String(apiPort),
    TEMPORAL_ADDRESS: `127.0.0.1:${port(27000)}`,
    EMBEDDED_PG_PORT: String(port(28000)),
    EMBEDDED_PG_DIR: join(dataDir, 'pg'),
    DIGIPOST_PRIVATE_KEY_FILE: join(dataDir, 'broker-key.pem'),
    LOG_LEVEL: 'warn',
    // untriaged items are flagged after two seconds, so the age warning shows in the list
    INBOUND_FLAG_UNTRIAGED_AFTER_SECONDS: '2',
    SVARINN_POLL_INTERVAL_SECONDS: '1',
  };
  delete env.DATABASE_URL;
  const child = spawn('npm', ['start'], { env, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (b: Buffer) => (output += b.toString()));
  child.stderr.on('data', (b: Buffer) => (output += b.toString()));
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const stop = async () => {
    process.kill(-child.pid!, 'SIGINT');
    await exited;
  };
  try {
    await until(
      'npm start',
      async () => {
        if (child.exitCode !== null) throw new Error(`npm start exited:\n${output}`);
        return output.includes('Ctrl-C stops everything');
      },
      180_000,
    );
    const base = `http://127.0.0.1:${apiPort}`;
    await until('the API', async () => (await fetch(`${base}/health`).catch(() => undefined))?.ok, 60_000);
    const svarinn = /SvarInn simulator (\S+)/.exec(output)?.[1];
    const login = /log in as (\S+) \/ (\S+)\)/.exec(output);
    if (!svarinn || !login)
      throw new Error(`the start banner lacks the SvarInn URL or the login:\n${output}`);
    return { base, svarinn, username: login[1]!, password: login[2]!, stop, output: () => output };
  } catch (e) {
    await stop();
    throw e;
  }
}

// Words of the English texts behind the reasons (SvarInn's and the archive's errors, the API's messages): none
// may be visible in the panel, which shows the Norwegian text of each code instead.
const ENGLISH_WORDS =
  /\b(payload|readable|EnvelopedData|refused|archive|answered|failed|error|not found|unknown|invalid|expected|the|no route|tenant|queue|letter)\b/i;

describe('the admin panel in a real browser', () => {
  it('drives the queue, runs, failures, case page, inbound triage and costs end to end', async () => {
    const sys = await startSystem();
    let browser: Browser | undefined;
    const problems: string[] = [];
    try {
      const api = async <T>(path: string, body?: unknown, method?: string): Promise<T> => {
        const res = await fetch(`${sys.base}${path}`, {
          method: method ?? (body === undefined ? 'GET' : 'POST'),
          headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        if (!res.ok) throw new Error(`${path} → ${res.status} ${await res.text()}`);
        return (await res.json()) as T;
      };
      const letter = (id: string) =>
        api<{ status: string; version: number; versions: unknown[] }>(`/v1/letters/${id}`);
      const reaches = (id: string, status: string) =>
        until(`letter ${id} ${status}`, async () => (await letter(id)).status === status);

      // The case system's side: four letters (one to be deleted, one with an incomplete address).
      const create = async (
        nationalId: string,
        caseId: string,
        address?: { lines: string[]; city?: string },
        attachments?: { title: string; content: string }[],
      ) =>
        (
          await api<{ id: string }>('/v1/letters', {
            ...letterRequest(nationalId, { caseId, address }),
            ...(attachments ? { attachments } : {}),
          })
        ).id;
      const ids = {
        digital: await create(DIGIPOST_USER, 'ADM-1'),
        print: await create(NON_USER, 'ADM-2'),
        // with an invoice attached: the case page lists it with every version
        incomplete: await create(NON_USER, 'ADM-3', { lines: ['Storgata 1'], city: 'OSLO' }, [
          { title: 'Faktura 2026-117', content: await samplePdf('Faktura 2026-117') },
        ]),
        doomed: await create(DIGIPOST_USER, 'ADM-4'),
      };
      for (const id of Object.values(ids)) await reaches(id, 'QUEUED');

      // SvarInn's side: three letters for the demo organisation, each with a real PDF.
      const titles = ['Byggesøknad Storgata 2', 'Feilsendt reklame', 'Klage på vedtak'];
      for (const tittel of titles) {
        const res = await fetch(`${sys.svarinn}/admin/forsendelser`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            tittel,
            orgnr: '999999999',
            svarSendesTil: { navn: 'Eksempel Bygg AS', orgnr: '999888777' },
            files: [
              { filnavn: 'brev.pdf', mimetype: 'application/pdf', contentBase64: await samplePdf(tittel) },
            ],
          }),
        });
        expect(res.status, await res.clone().text()).toBe(201);
      }
      // and one the simulator serves as bytes that are no CMS EnvelopedData: unreadable, with an English detail
      const unreadableId = randomUUID();
      const fault = await fetch(`${sys.svarinn}/admin/faults/download`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          kind: 'malformed',
          shape: 'not-ber',
          forsendelseId: unreadableId,
          times: 100,
        }),
      });
      expect(fault.status, await fault.clone().text()).toBe(201);
      const unreadableRes = await fetch(`${sys.svarinn}/admin/forsendelser`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          id: unreadableId,
          tittel: 'Uleselig forsendelse',
          orgnr: '999999999',
          files: [{ filnavn: 'x.pdf', mimetype: 'application/pdf', contentBase64: await samplePdf('x') }],
        }),
      });
      expect(unreadableRes.status, await unreadableRes.clone().text()).toBe(201);
      type Item = {
        id: string;
        title: string;
        status: string;
        flagged: boolean;
        journalpostNumber: string | null;
        failureReason: string | null;
        forsendelseId: string;
      };
      const items = await until('three inbound items awaiting triage', async () => {
        const { items } = await api<{ items: Item[] }>('/v1/inbound?status=AWAITING_TRIAGE');
        const mine = titles.map((t) => items.find((i) => i.title === t));
        return mine.every((i) => i?.flagged) && (mine as Item[]);
      });

      browser = await chromium.launch({ executablePath: chromiumPath() });
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US' });
      const page: Page = await context.newPage();
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(`console: ${m.text()}`);
      });
      page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
      page.on('requestfailed', (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
      page.on('response', (r) => {
        if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.request().method()} ${r.url()}`);
      });
      mkdirSync(SHOTS, { recursive: true });
      const shot = (name: string) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
      /** Fails on any word of the reasons' English texts (the technical details) visible on the page. */
      const expectNoEnglish = async (where: string) => {
        const visible = await page.locator('body').innerText();
        const leaked = visible.match(ENGLISH_WORDS);
        expect(leaked, `English in ${where}: ${leaked?.[0]}`).toBeNull();
      };

      // Log in.
      await page.goto(`${sys.base}/admin/`);
      await page.getByLabel('Brukernavn').fill(sys.username);
      await page.getByLabel('Passord').fill(sys.password);
      await shot('01-login');
      await page.getByRole('button', { name: 'Logg inn' }).click();
      await page.getByRole('heading', { name: 'Digipost-administrasjon' }).waitFor();

      // The queue: four letters; delete one (with confirmation).
      const queueRow = (id: string) => page.locator(`tr[data-letter="${id}"]`);
      for (const id of Object.values(ids)) await queueRow(id).waitFor();
      await shot('02-queue');
      const temporalHref = await queueRow(ids.digital)
        .getByRole('link', { name: 'Temporal' })
        .getAttribute('href');
      expect(temporalHref).toMatch(new RegExp(`/namespaces/default/workflows/letter-${ids.digital}$`));
      await queueRow(ids.doomed)
        .getByRole('button', { name: /^Slett brevet/ })
        .click();
      const dialog = page.getByRole('dialog', { name: 'Slette brevet?' });
      await dialog.waitFor();
      await shot('03-delete-confirmation');
      await dialog.getByRole('button', { name: 'Slett brevet' }).click();
      await queueRow(ids.doomed).waitFor({ state: 'detached' });
      expect((await letter(ids.doomed)).status).toBe('DELETED');

      // Prisliste: a list valid from a fixed past day, set in the panel; this run is billed by it.
      const PRICES = {
        digitalPerLetter: 75,
        printPerLetter: 1200,
        printPerExtraSheet: 200,
        adminFeePerLetter: 150,
      };
      await page.getByRole('link', { name: 'Kostnader' }).click();
      await page.getByRole('heading', { name: 'Prisliste', exact: true }).waitFor();
      const priceForm = page.locator('form', { has: page.getByRole('button', { name: 'Lagre prisliste' }) });
      await priceForm.getByLabel('Gyldig fra').fill('01.01.2020');
      await priceForm.getByLabel('Digitalt brev (kr)').fill('0,75');
      await priceForm.getByLabel('Print, første ark (kr)').fill('12,00');
      await priceForm.getByLabel('Per ekstra ark (kr)').fill('2');
      await priceForm.getByLabel('Administrasjonsgebyr (kr)').fill('1,50');
      await page.getByRole('button', { name: 'Lagre prisliste' }).click();
      await page.getByText('Prislisten som gjelder fra 1. januar 2020 er lagret.').waitFor();
      await page.locator('tr[data-price-list="2020-01-01"]').getByText('Gjelder i dag').waitFor();
      expect(await api<{ current: unknown }>('/v1/prices')).toMatchObject({
        current: { validFrom: '2020-01-01', prices: PRICES },
      });
      await shot('02b-price-list');
      await page.getByRole('link', { name: 'Digipost-administrasjon' }).click();
      for (const id of [ids.digital, ids.print, ids.incomplete]) await queueRow(id).waitFor();

      // «Send kjøring» first shows the preview: each letter's channel, the totals and the estimated cost.
      await page.getByRole('button', { name: 'Send kjøring' }).click();
      const previewDialog = page.getByRole('dialog', { name: 'Forhåndsvisning av kjøringen' });
      const previewRow = (id: string) => previewDialog.locator(`tr[data-preview="${id}"]`);
      for (const id of [ids.digital, ids.print, ids.incomplete]) await previewRow(id).waitFor();
      const forecasts = Object.fromEntries(
        await Promise.all(
          [ids.digital, ids.print, ids.incomplete].map(
            async (id) => [id, await previewRow(id).getAttribute('data-forecast')] as const,
          ),
        ),
      );
      expect(forecasts).toEqual({
        [ids.digital]: 'DIGITAL',
        [ids.print]: 'PRINT',
        [ids.incomplete]: 'NOT_REACHABLE',
      });
      await previewRow(ids.incomplete)
        .getByText(/postadressen er ufullstendig.*mangler postnummer/)
        .waitFor();
      const totalOf = (name: string) => previewDialog.locator(`tr[data-total="${name}"] td`).textContent();
      expect(await totalOf('digital')).toBe('1 brev');
      expect(await totalOf('print')).toBe('1 brev');
      expect(await totalOf('notReachable')).toBe('1 brev');
      // the estimate by hand, from the list and the documents' pages (two pages a sheet)
      const pagesOf = async (id: string) =>
        (await api<{ versions: { pages: number }[] }>(`/v1/letters/${id}`)).versions[0]!.pages;
      const printSheets = Math.max(1, Math.ceil((await pagesOf(ids.print)) / 2));
      const estimateOre =
        PRICES.digitalPerLetter +
        PRICES.printPerLetter +
        (printSheets - 1) * PRICES.printPerExtraSheet +
        2 * PRICES.adminFeePerLetter;
      const nbNok = (n: number) =>
        new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK' }).format(n).replace(/\s/g, '');
      expect((await totalOf('cost'))?.replace(/\s/g, '')).toBe(nbNok(estimateOre / 100));
      await shot('03b-run-preview');

      // Send the run; its live counts end at one of each.
      await previewDialog.getByRole('button', { name: 'Bekreft og send kjøring' }).click();
      await page.getByText('Kjøringen er sendt: 3 brev går til Digipost.').waitFor();
      const runRow = page.locator('tr[data-run]').first();
      const count = (name: string) => runRow.locator(`td[data-count="${name}"]`);
      await until('the run counts in the page', async () => {
        const [w, d, p, n] = await Promise.all(
          ['waiting', 'sentDigital', 'sentPrint', 'notSent'].map((c) => count(c).textContent()),
        );
        return w === '0' && d === '1' && p === '1' && n === '1';
      });
      expect(await runRow.getByRole('link', { name: 'Temporal' }).getAttribute('href')).toMatch(
        /\/workflows\/run-/,
      );
      // the run did what the preview said, and billed what it estimated
      const outcome: Record<string, string> = {
        DIGITAL: 'SENT_DIGITAL',
        PRINT: 'SENT_PRINT',
        NOT_REACHABLE: 'NOT_SENT',
      };
      for (const [id, forecast] of Object.entries(forecasts)) await reaches(id, outcome[forecast!]!);
      const billed = await api<{ total: number }>('/v1/costs?from=0001-01-01&to=9999-12-31');
      expect(Math.round(billed.total * 100)).toBe(estimateOre);

      // The failure list: correct the address in place; the letter is reissued as version 2.
      const failureRow = page.locator(`tr[data-failure="${ids.incomplete}"]`);
      await failureRow.waitFor();
      await failureRow.getByRole('button', { name: 'Rett adresse' }).click();
      await failureRow.getByLabel('Postnummer').fill('0155');
      await shot('04-runs-and-failure-list');
      // the demo tenant queues corrections: the page says so, and the button says what it does
      await page.getByText('Rettede brev legges i køen og sendes med neste kjøring.').waitFor();
      await failureRow.getByRole('button', { name: 'Legg i kø på nytt med rettet adresse' }).click();
      await page
        .getByText(
          /Adressen er rettet\. Brevet til .* lages på nytt som versjon 2\. Det legges i køen og sendes når du sender neste kjøring\./,
        )
        .waitFor();
      await reaches(ids.incomplete, 'QUEUED');
      expect((await letter(ids.incomplete)).version).toBe(2);
      await queueRow(ids.incomplete).waitFor();
      await page.getByRole('button', { name: 'Send kjøring' }).click();
      await previewRow(ids.incomplete).waitFor();
      expect(await previewRow(ids.incomplete).getAttribute('data-forecast')).toBe('PRINT');
      await previewDialog.getByRole('button', { name: 'Bekreft og send kjøring' }).click();
      await page.getByText('Kjøringen er sendt: 1 brev går til Digipost.').waitFor();
      await reaches(ids.incomplete, 'SENT_PRINT');

      // A letter the tenant sends itself (a template not marked for Digipost) is listed with its PDF.
      const selfSend = (
        await api<{ id: string }>(
          '/v1/letters',
          letterRequest(DIGIPOST_USER, { caseId: 'ADM-9', templateCode: 'rentenota' }),
        )
      ).id;
      await reaches(selfSend, 'SELF_SEND');

      // The first run's page: its three letters as the run left them, the corrected one now Sendt print.
      await page.locator('tr[data-run]').last().getByRole('link', { name: 'Åpne' }).click();
      await page.getByRole('heading', { name: 'Brev i kjøringen (3)' }).waitFor();
      const runLetter = page.locator(`tr[data-letter="${ids.incomplete}"]`);
      await runLetter.getByText('Ikke sendt').waitFor();
      await runLetter.getByText(/postadressen er ufullstendig/).waitFor();
      await runLetter.locator('td[data-current="SENT_PRINT"]').getByText('Sendt print').waitFor();
      expect(await page.locator('[data-count="notSent"]').textContent()).toBe('1 ikke sendt');
      // the run's history: each status change with its cause, in the operators' words
      const runHistory = page.getByRole('list', { name: 'Historikk for kjøringen' });
      await runHistory
        .locator('li[data-status="SENDING"]')
        .getByText(/Kjøringen er sendt med 3 brev/)
        .waitFor();
      await runHistory.locator('li[data-status="DONE"]').getByText('Ferdig').waitFor();
      await page
        .locator(`tr[data-letter="${ids.digital}"] td[data-current="SENT_DIGITAL"]`)
        .getByText('Sendt web')
        .waitFor();
      await shot('04b-run-page');
      await page.getByRole('link', { name: '← Digipost-administrasjon' }).click();
      const selfSendRow = page.locator(`tr[data-self-send="${selfSend}"]`);
      await selfSendRow.waitFor();
      expect(await selfSendRow.getByRole('link', { name: /Åpne PDF/ }).getAttribute('href')).toBe(
        `/v1/letters/${selfSend}/versions/1/pdf`,
      );

      // Search by case number; the case page shows the status, both versions and a PDF preview.
      await page.getByLabel('Saksnummer').fill('ADM-3');
      await page.getByRole('button', { name: 'Søk' }).click();
      await page.getByRole('heading', { name: 'Sak ADM-3' }).waitFor();
      const caseLetter = page.locator(`article[data-letter="${ids.incomplete}"]`);
      await caseLetter.getByText('Sendt print').first().waitFor();
      await caseLetter.getByText('Versjon 1').waitFor();
      await caseLetter.getByText('Versjon 2').waitFor();
      // each version's history, with the reason version 1 was not sent
      await caseLetter
        .getByRole('list', { name: 'Historikk for versjon 1' })
        .getByText(/Ikke sendt – .*postadressen er ufullstendig/)
        .waitFor();
      await caseLetter
        .getByRole('list', { name: 'Historikk for versjon 2' })
        .getByText('Sendt print')
        .waitFor();
      const attached = caseLetter.getByText('Vedlegg 1: Faktura 2026-117 (1 side)');
      await attached.first().waitFor();
      expect(await attached.count()).toBe(2);
      await caseLetter.getByRole('button', { name: 'Vis PDF' }).last().click();
      await page.locator('iframe.preview').waitFor();
      await page.waitForTimeout(1000); // let the PDF viewer paint before the screenshot
      await shot('05-case-page');

      // Innkommende post: the three items are flagged as untriaged too long.
      await page.getByRole('link', { name: 'Innkommende post' }).click();
      await page.getByRole('heading', { name: 'Innkommende post', level: 1 }).waitFor();
      for (const item of items) await page.locator(`tr[data-item="${item.id}"].flagged`).waitFor();
      await page.getByLabel('Bare ubehandlet for lenge').check();
      await page.getByText(/har ventet for lenge/).waitFor();
      await shot('06-inbound-list');

      const openItem = async (item: Item) => {
        await page.getByLabel('Bare ubehandlet for lenge').uncheck();
        await page.locator(`tr[data-item="${item.id}"]`).getByRole('link', { name: item.title }).click();
        await page.getByRole('heading', { name: item.title, level: 1 }).waitFor();
      };
      const backToList = async () => {
        await page.getByRole('link', { name: '← Innkommende post' }).click();
        await page.getByRole('heading', { name: 'Innkommende post', level: 1 }).waitFor();
      };
      const inbound = (id: string) => api<Item>(`/v1/inbound/${id}`);

      // arkiver (into a new case): the journalpost number shows once filed
      await openItem(items[0]!);
      await page.getByRole('button', { name: 'Vis PDF' }).click();
      await page.locator('iframe.preview').waitFor();
      await page.getByLabel('Sakstittel for ny sak (valgfritt)').fill('Byggesak Storgata 2');
      await page.waitForTimeout(1000);
      await shot('07-inbound-item');
      await page.getByRole('button', { name: 'Arkiver', exact: true }).click();
      const journalpost = page.locator('dd[data-journalpost]');
      await journalpost.waitFor({ timeout: 60_000 });
      const archived = await until('archived', async () => {
        const i = await inbound(items[0]!.id);
        return i.status === 'ARCHIVED' && i;
      });
      expect(archived.journalpostNumber).toBeTruthy();
      expect(await journalpost.textContent()).toContain(archived.journalpostNumber);
      // the item's history, oldest first, ends with Arkivert
      const itemHistory = page.getByRole('region', { name: 'Historikk' });
      await itemHistory.locator('li[data-status="ARCHIVED"]').getByText('Arkivert').waitFor();
      expect(await itemHistory.locator('li').first().getAttribute('data-status')).toBe('RECEIVED');
      await shot('08-inbound-archived');
      // the triage names the operator who decided
      await page.getByText(new RegExp(`Arkiver \\(${sys.username},`)).waitFor();

      // slett, with the reason required
      await backToList();
      await openItem(items[1]!);
      await page.getByLabel('Slett').check();
      await page.getByLabel('Begrunnelse (påkrevd)').fill('Reklame sendt til feil mottaker');
      await page.getByRole('button', { name: 'Slett', exact: true }).click();
      await until('deleted', async () => (await inbound(items[1]!.id)).status === 'DELETED');
      await page.getByRole('region', { name: 'Forsendelse' }).locator('.status.DELETED').waitFor();
      await shot('09-inbound-deleted');

      // videresend, to the receiving system's configured destination
      await backToList();
      await openItem(items[2]!);
      await page.getByLabel('Videresend').check();
      await page.getByLabel('Mottaker').selectOption('postmottak');
      await page.getByRole('button', { name: 'Videresend', exact: true }).click();
      await until('forwarded', async () => (await inbound(items[2]!.id)).status === 'FORWARDED');
      await page.getByRole('region', { name: 'Forsendelse' }).locator('.status.FORWARDED').waitFor();
      await shot('10-inbound-forwarded');

      // The unreadable item: its reason in Norwegian only; the English detail stays in the API.
      const unreadable = await until('the unreadable item', async () => {
        const { items } = await api<{ items: Item[] }>('/v1/inbound?status=UNREADABLE');
        return items.find((i) => i.forsendelseId === unreadableId);
      });
      expect(unreadable.failureReason).toMatch(/EnvelopedData/);
      await backToList();
      await page
        .locator(`tr[data-item="${unreadable.id}"] td[data-org-number]`)
        .getByText('999999999')
        .waitFor();
      await expectNoEnglish('the inbound list');
      await openItem(unreadable);
      await page
        .getByRole('region', { name: 'Forsendelse' })
        .getByText('Forsendelsen er skadet og kan ikke dekrypteres eller pakkes ut.')
        .waitFor();
      // and in its history, beside the move to Kan ikke leses
      await page
        .getByRole('region', { name: 'Historikk' })
        .locator('li[data-status="UNREADABLE"]')
        .getByText(/Forsendelsen er skadet/)
        .waitFor();
      await expectNoEnglish('the unreadable item');
      await shot('10b-inbound-unreadable');

      // Revisjonslogg: the operator's actions, with the operator's name.
      await page.getByRole('link', { name: 'Revisjonslogg' }).click();
      await page.getByRole('heading', { name: 'Revisjonslogg', level: 1 }).waitFor();
      for (const action of ['letter.deleted', 'run.sent', 'letter.corrected', 'inbound.triaged'])
        await page.locator(`tr[data-audit="${action}"]`).first().getByText(sys.username).waitFor();
      await expectNoEnglish('the audit log');
      await shot('10c-audit');
      await page.getByRole('link', { name: 'Innkommende post' }).click();
      await page.getByRole('heading', { name: 'Innkommende post', level: 1 }).waitFor();

      // Mottakersystemer og regler: the demo system's rules are shown and edited.
      await page.getByRole('link', { name: 'Mottakersystemer og regler' }).click();
      await page.getByRole('heading', { name: 'Mottakersystemer og regler', level: 1 }).waitFor();
      const archiveRule = page.getByLabel('Arkiver i saken avsenderen oppgir (metadata for import)');
      expect(await archiveRule.isChecked()).toBe(true);
      await archiveRule.uncheck();
      await page.getByRole('button', { name: 'Legg til videresendingsregel' }).click();
      await page.getByLabel('Regel 1: avsenders organisasjonsnummer').fill('999888777');
      await page.getByLabel('Regel 1: videresend til').selectOption('postmottak');
      await page.getByLabel(/daglig oversikt/).fill('arkivleder@demo.invalid');
      await page.getByRole('button', { name: 'Lagre' }).click();
      await page.getByText(/er lagret/).waitFor();
      const { items: systems } = await api<{
        items: { rules: unknown; digestEmail: string | null }[];
      }>('/v1/receiving-systems');
      expect(systems[0]).toMatchObject({
        rules: {
          archiveIntoNamedCase: false,
          forward: [{ senderOrgNumber: '999888777', destination: 'postmottak' }],
        },
        digestEmail: 'arkivleder@demo.invalid',
      });
      await shot('10b-receiving-system-rules');

      // Kostnader: this month's total in the page is the API's total for the month.
      await page.getByRole('link', { name: 'Kostnader' }).click();
      await page.getByRole('heading', { name: 'Totalt per måned og kanal' }).waitFor();
      // The month the letters were sent in (Oslo time), from their own history, not today's date.
      const sentAt = (
        await Promise.all(
          [ids.digital, ids.print, ids.incomplete].map(async (id) =>
            (await api<{ history: { status: string; at: string }[] }>(`/v1/letters/${id}`)).history
              .filter((h) => h.status.startsWith('SENT_'))
              .map((h) => h.at),
          ),
        )
      ).flat();
      const months = new Set(
        sentAt.map((at) => new Date(at).toLocaleDateString('sv-SE', { timeZone: 'Europe/Oslo' }).slice(0, 7)),
      );
      expect(months.size, 'the letters were all sent in one month').toBe(1);
      const [month] = [...months] as [string];
      const last = new Date(Date.UTC(Number(month.slice(0, 4)), Number(month.slice(5, 7)), 0)).getUTCDate();
      const costs = await api<{ total: number; adminFee: { letters: number } }>(
        `/v1/costs?from=${month}-01&to=${month}-${last}`,
      );
      expect(costs.adminFee.letters).toBe(3); // digital, print, and the corrected version 2 by print
      const nok = new Intl.NumberFormat('nb-NO', { style: 'currency', currency: 'NOK' }).format(costs.total);
      const monthRow = page.locator(`tr[data-month="${month}"]`);
      expect((await monthRow.locator('td').last().textContent())?.replace(/\s/g, '')).toBe(
        nok.replace(/\s/g, ''),
      );
      await page.locator('svg.chart rect').first().waitFor();
      // the y axis: distinct, rising amounts
      const ticks = await page.locator('svg.chart g.y-tick text').allTextContents();
      expect(new Set(ticks).size).toBe(ticks.length);
      // the prices applied, and the CSV: one line per sent letter version, with its case and price list
      await page.locator('[data-prices-applied] tr[data-price-list="2020-01-01"]').waitFor();
      const csvHref = await page
        .getByRole('link', { name: 'Last ned CSV for perioden' })
        .getAttribute('href');
      const csv = await page.evaluate(async (href) => {
        const r = await fetch(href!);
        return { status: r.status, type: r.headers.get('content-type'), text: await r.text() };
      }, csvHref);
      expect(csv.status).toBe(200);
      expect(csv.type).toMatch(/^text\/csv/);
      const csvLines = csv.text
        .replace(/^\ufeff/, '')
        .trimEnd()
        .split('\r\n');
      expect(csvLines[0]).toBe('dato;sak;brev;versjon;type;kanal;ark;pris;gebyr;prisliste');
      expect(
        csvLines
          .slice(1)
          .map((l) => l.split(';'))
          .map(([, sak, , versjon, type, kanal, , , gebyr, liste]) =>
            [sak, versjon, type, kanal, gebyr, liste].join(' '),
          )
          .sort(),
      ).toEqual([
        'ADM-1 1 sendt digital 1,50 2020-01-01',
        'ADM-2 1 sendt print 1,50 2020-01-01',
        'ADM-3 2 sendt print 1,50 2020-01-01',
      ]);
      await shot('11-costs');

      // Readable on a tablet too.
      await page.setViewportSize({ width: 768, height: 1024 });
      await page.getByRole('link', { name: 'Digipost-administrasjon' }).click();
      await page.getByRole('heading', { name: 'Kjøringer' }).waitFor();
      await shot('12-tablet-digipost');

      await page.getByRole('button', { name: 'Logg ut' }).click();
      await page.getByRole('button', { name: 'Logg inn' }).waitFor();
      expect(problems).toEqual([]);
    } finally {
      await browser?.close();
      await sys.stop();
    }
  }, 420_000);
});
