// Tier 3, inbound: API + worker + real Temporal dev server + real PostgreSQL + the SvarInn and Noark 5
// simulators + a real local SMTP server. Receiving systems are registered over HTTP, items injected into
// SvarInn are polled, decrypted, verified, stored, acknowledged and triaged (by rule and by operator).
import { beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { type Db } from '../db/connection';
import { inboundFiles, inboundItems, receivingSystems } from '../db/schema';
import { type SecretBox } from '../db/secret-box';
import { tenantForTests } from './support/tenants';
import { registerTestSystem, type SvarInnTestSystem } from './support/svarinn';
import { samplePdf } from './support/pdf';
import { type TestSmtpServer } from './support/smtp';
import { type SvarInnSimulator } from '../simulators/svarinn/server';
import type { ArchiveSimulator } from '../simulators/archive/server';
import { until } from './support/until';
import { useTestSystem } from './support/system';
import { inboundApi, injectWithFailingDownload, orgNumber, sha256 } from './support/inbound-api';
import { svarinnPollerWorkflowId } from '../domain/workflow-ids';

const ORG_A = orgNumber();
const ORG_B = orgNumber();
const PARTNER_ORG = '999888777';
let secrets: SecretBox;

let db: Db;
let svarinn: SvarInnSimulator;
let archive: ArchiveSimulator;
let smtp: TestSmtpServer;
let base: string;
let systemA: SvarInnTestSystem;
let systemB: SvarInnTestSystem;
let idA: string;
let idB: string;

const pdf = samplePdf;

interface Item {
  id: string;
  status: string;
  flagged: boolean;
  failureReason: string | null;
  failureCode: string | null;
  reasonText: string | null;
  journalpostNumber: string | null;
  triage: { action: string; by: string; reason?: string } | null;
  files: { id: string; filename: string; sha256: string; size: number; href: string }[];
  history: { status: string; reason: string | null; reasonText: string | null; at: string }[];
}

const systemBody = (
  system: SvarInnTestSystem,
  orgNumbers: string[],
  extra: Record<string, unknown> = {},
) => ({
  name: `Sakssystem ${orgNumbers.join('+')}`,
  username: system.username,
  password: system.password,
  privateKeyPem: system.privateKeyPem,
  orgNumbers,
  ...extra,
});

const inbound = useTestSystem({
  inbound: {
    pollIntervalMs: 500,
    downloadAttempts: 3,
    flagAfterMs: 1500,
    autoTriageDelayMs: 0,
    deletedRetentionMs: 3000,
    digestIntervalMs: 86_400_000,
  },
});
const { api, itemFor } = inboundApi<Item>(inbound);

beforeAll(async () => {
  ({ db, svarinn, archive, smtp, secrets, base } = inbound);
  systemA = registerTestSystem(svarinn, [{ orgnr: ORG_A }]);
  systemB = registerTestSystem(svarinn, [{ orgnr: ORG_B }]);

  const created = await Promise.all([
    api('/v1/receiving-systems', {
      method: 'POST',
      body: systemBody(systemA, [ORG_A], { rules: { archiveIntoNamedCase: true, forward: [] } }),
    }),
    api('/v1/receiving-systems', {
      method: 'POST',
      body: systemBody(systemB, [ORG_B], {
        forwardDestinations: [{ id: 'byggesak', email: 'byggesak@kommune.test', name: 'Byggesak' }],
        rules: { forward: [{ senderOrgNumber: PARTNER_ORG, destination: 'byggesak' }] },
      }),
    }),
  ]);
  for (const res of created) expect(res.status).toBe(201);
  [idA, idB] = (await Promise.all(created.map((r) => r.json()))).map((b) => (b as { id: string }).id) as [
    string,
    string,
  ];
}, 180_000);

describe('inbound from SvarInn, end to end', () => {
  it('fetches, decrypts, verifies and acknowledges items on two receiving systems once, and triages them three ways', async () => {
    const caseRef = archive.addSaksmappe('Byggesak Storgata 1');
    const [saksaar, sakssekvensnummer] = caseRef.mappeID.split('/').map(Number);
    const toArchive = { main: await pdf('søknad'), attachment: await pdf('situasjonsplan') };
    const archivedId = svarinn.inject({
      tittel: 'Søknad om ferdigattest',
      orgnr: ORG_A,
      metadataForImport: { saksaar, sakssekvensnummer, tittel: 'Søknad om ferdigattest' },
      svarSendesTil: { navn: 'Eksempel Bygg AS', orgnr: '912345678' },
      files: [
        { filnavn: 'soknad.pdf', content: toArchive.main },
        { filnavn: 'situasjonsplan.pdf', content: toArchive.attachment },
      ],
    });
    const toForward = await pdf('nabovarsel');
    const forwardedId = svarinn.inject({
      tittel: 'Nabovarsel',
      orgnr: ORG_B,
      svarSendesTil: { navn: 'Partner AS', orgnr: PARTNER_ORG },
      files: [{ filnavn: 'nabovarsel.pdf', content: toForward }],
      delivery: 'pdf',
    });
    const deletedId = svarinn.inject({
      tittel: 'Feilsendt brev',
      orgnr: ORG_B,
      svarSendesTil: { navn: 'Noen Andre AS', orgnr: '911111111' },
      files: [{ filnavn: 'brev.pdf', content: await pdf('feilsendt') }],
    });

    // Archived by rule: metadataForImport names the case.
    const archived = await itemFor(archivedId, 'ARCHIVED');
    expect(archived.triage).toMatchObject({ action: 'archive', by: 'rule' });
    const jps = archive.journalposts().filter((jp) => jp.beskrivelse === `SvarInn forsendelse ${archivedId}`);
    expect(jps).toHaveLength(1);
    const jp = jps[0]!;
    expect(archived.journalpostNumber).toBe(`${String(jp.journalaar)}/${String(jp.journalsekvensnummer)}`);
    expect(jp.saksmappe.mappeID).toBe(caseRef.mappeID);
    expect(jp.tittel).toBe('Søknad om ferdigattest');
    expect(jp.journalposttype).toMatchObject({ kode: 'I' });
    // avsender (SvarUt's name for the sending organisation, no number) and svarSendesTil (with its number) are
    // two parties here: each recorded as it is, never one's name with the other's number.
    expect(jp.korrespondanseparter).toHaveLength(2);
    expect(jp.korrespondanseparter).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          korrespondanseparttype: expect.objectContaining({ kode: 'EA' }),
          navn: 'Storevik kommune',
        }),
        expect.objectContaining({
          korrespondanseparttype: expect.objectContaining({ kode: 'EA' }),
          navn: 'Eksempel Bygg AS',
          enhetsidentifikator: { organisasjonsnummer: '912345678' },
        }),
      ]),
    );
    expect(jp.korrespondanseparter.find((p) => p.navn === 'Storevik kommune')).not.toHaveProperty(
      'enhetsidentifikator',
    );
    const docs = jp.dokumentbeskrivelser.map((d) => ({
      role: (d.tilknyttetRegistreringSom as { kode: string }).kode,
      sha256: d.dokumentobjekter[0]!.file!.sha256,
    }));
    expect(docs).toEqual([
      { role: 'H', sha256: sha256(toArchive.main) },
      { role: 'V', sha256: sha256(toArchive.attachment) },
    ]);

    // Forwarded by rule: the sender's organisation number.
    const forwarded = await itemFor(forwardedId, 'FORWARDED');
    expect(forwarded.triage).toMatchObject({ action: 'forward', by: 'rule' });
    const mails = smtp.mails.filter((m) => m.subject === 'Nabovarsel');
    expect(mails).toHaveLength(1);
    expect(mails[0]!.to).toMatchObject({ text: 'byggesak@kommune.test' });
    expect(mails[0]!.attachments.map((a) => [a.filename, sha256(a.content)])).toEqual([
      ['nabovarsel.pdf', sha256(toForward)],
    ]);

    // No rule matches: it waits for an operator, is flagged, then deleted with a reason.
    const waiting = await until('the untriaged item to be flagged', async () => {
      const item = await itemFor(deletedId, 'AWAITING_TRIAGE');
      return item.flagged ? item : undefined;
    });
    const flaggedList = (await (await api(`/v1/inbound?flagged=true&orgNumber=${ORG_B}`)).json()) as {
      items: { id: string }[];
    };
    expect(flaggedList.items.map((i) => i.id)).toContain(waiting.id);
    const file = await api(waiting.files[0]!.href);
    expect(file.status).toBe(200);
    expect(sha256(Buffer.from(await file.arrayBuffer()))).toBe(waiting.files[0]!.sha256);
    const triage = await api(`/v1/inbound/${waiting.id}/triage`, {
      method: 'POST',
      body: { action: 'delete', reason: 'Feilsendt: gjelder ikke kommunen' },
    });
    expect(triage.status).toBe(202);
    const deleted = await itemFor(deletedId, 'DELETED');
    expect(deleted.triage).toMatchObject({
      action: 'delete',
      by: 'operator',
      reason: 'Feilsendt: gjelder ikke kommunen',
    });
    // its history: every status it went through, oldest first
    const { history } = (await (await api(`/v1/inbound/${deleted.id}`)).json()) as Item;
    expect(history.map((h) => h.status)).toEqual(['RECEIVED', 'STORED', 'AWAITING_TRIAGE', 'DELETED']);
    expect(history.every((h) => h.reason === null)).toBe(true);
    // After the retention period the files go; metadata and reason stay.
    await until('files to be purged', async () => {
      const res = await api(waiting.files[0]!.href);
      return res.status === 410 ? true : undefined;
    });
    expect(((await (await api(`/v1/inbound/${waiting.id}`)).json()) as Item).triage?.reason).toBe(
      'Feilsendt: gjelder ikke kommunen',
    );

    // Every item was downloaded and acknowledged exactly once, and stored once.
    for (const id of [archivedId, forwardedId, deletedId]) {
      const state = svarinn.item(id)!;
      expect(state.state).toBe('LEST');
      expect(state.acknowledgements).toBe(1);
      expect(state.downloads).toBe(1);
      const rows = await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, id));
      expect(rows).toHaveLength(1);
    }
    const archivedRow = (
      await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, archivedId))
    )[0]!;
    expect(await db.select().from(inboundFiles).where(eq(inboundFiles.itemId, archivedRow.id))).toHaveLength(
      2,
    );
    expect(archivedRow.receivingSystemId).toBe(idA);
  });

  it('retries a corrupted download and then reports the item unreadable (mottakFeilet permanent)', async () => {
    const id = injectWithFailingDownload(
      svarinn,
      { kind: 'corrupt' },
      { tittel: 'Skadet', orgnr: ORG_A, filnavn: 'a.pdf', content: await pdf('a') },
    );
    const item = await itemFor(id, 'UNREADABLE');
    expect(item.failureReason).toMatch(/etter 3 forsøk/);
    expect(svarinn.item(id)!.downloads).toBe(3);
    await until('SvarInn to take the item away', () =>
      svarinn.item(id)!.state === 'MOTTAK_FEILET_PERMANENT' ? true : undefined,
    );
    expect(svarinn.item(id)!.acknowledgements).toBe(0);
  });

  it('reports an item encrypted to another key as unreadable at once (mottakFeilet permanent)', async () => {
    const id = injectWithFailingDownload(
      svarinn,
      { kind: 'wrong-key' },
      { tittel: 'Feil nøkkel', orgnr: ORG_B, filnavn: 'b.pdf', content: await pdf('b') },
    );
    const item = await itemFor(id, 'UNREADABLE');
    expect(item.failureReason).toBeTruthy();
    const { history } = (await (await api(`/v1/inbound/${item.id}`)).json()) as Item;
    expect(history.at(-1)).toMatchObject({
      status: 'UNREADABLE',
      reason: item.failureReason,
      reasonText: item.reasonText,
    });
    await until('SvarInn to take the item away', () =>
      svarinn.item(id)!.state === 'MOTTAK_FEILET_PERMANENT' ? true : undefined,
    );
    expect(svarinn.item(id)!.downloads).toBe(1);
    const listed = (await (await api('/v1/inbound?status=UNREADABLE')).json()) as { items: { id: string }[] };
    expect(listed.items.map((i) => i.id)).toContain(item.id);
  });

  it('retries an archive failing with 5xx after the journalpost was created, without a duplicate', async () => {
    archive.injectFault({ kind: 'create:journalpost', status: 500, afterCommit: true });
    archive.injectFault({ kind: 'upload', status: 503 });
    const id = svarinn.inject({
      tittel: 'Til arkiv, med feil',
      orgnr: ORG_B,
      svarSendesTil: { navn: 'Noen AS', orgnr: '911111112' },
      files: [{ filnavn: 'c.pdf', content: await pdf('c') }],
    });
    const waiting = await itemFor(id, 'AWAITING_TRIAGE');
    const res = await api(`/v1/inbound/${waiting.id}/triage`, {
      method: 'POST',
      body: { action: 'archive', caseTitle: 'Ny sak fra SvarInn' },
    });
    expect(res.status).toBe(202);
    const archived = await itemFor(id, 'ARCHIVED');
    const jps = archive.journalposts().filter((jp) => jp.beskrivelse === `SvarInn forsendelse ${id}`);
    expect(jps).toHaveLength(1);
    expect(archived.journalpostNumber).toBe(
      `${String(jps[0]!.journalaar)}/${String(jps[0]!.journalsekvensnummer)}`,
    );
    expect(
      archive.requests.filter((r) => r.kind === 'create:journalpost' && r.status >= 500),
    ).not.toHaveLength(0);
  });
});

describe('operator override', () => {
  it('lets an operator decide again when the archive refuses a rule’s decision (the named case does not exist)', async () => {
    const id = svarinn.inject({
      tittel: 'Til en sak som ikke finnes',
      orgnr: ORG_A,
      metadataForImport: { saksaar: 1999, sakssekvensnummer: 4242 },
      files: [{ filnavn: 'e.pdf', content: await pdf('e') }],
    });
    const failed = await itemFor(id, 'TRIAGE_FAILED');
    expect(failed.triage).toMatchObject({ action: 'archive', by: 'rule' });
    expect(failed.failureReason).toMatch(/1999\/4242/);
    const res = await api(`/v1/inbound/${failed.id}/triage`, {
      method: 'POST',
      body: { action: 'archive', caseTitle: 'Ny sak' },
    });
    expect(res.status).toBe(202);
    const archived = await itemFor(id, 'ARCHIVED');
    expect(archived.triage).toMatchObject({ action: 'archive', by: 'operator' });
    const jps = archive.journalposts().filter((jp) => jp.beskrivelse === `SvarInn forsendelse ${id}`);
    expect(jps).toHaveLength(1);
  });

  it('shows the archive’s own words when it refuses a file, leaves no half-filed document, and lets the operator decide again', async () => {
    const id = svarinn.inject({
      tittel: 'Ikke en ekte PDF',
      orgnr: ORG_B,
      svarSendesTil: { navn: 'Noen AS', orgnr: '911111113' },
      files: [{ filnavn: 'falsk.pdf', content: Buffer.from('%PDF-1.4\n% no pages\n%%EOF\n') }],
    });
    const waiting = await itemFor(id, 'AWAITING_TRIAGE');
    const res = await api(`/v1/inbound/${waiting.id}/triage`, {
      method: 'POST',
      body: { action: 'archive', caseTitle: 'Ny sak' },
    });
    expect(res.status).toBe(202);
    const failed = await itemFor(id, 'TRIAGE_FAILED');
    expect(failed.failureReason).toMatch(/^Arkivet avviste journalføringen\..* — .*falsk\.pdf.*PDFParser/);
    expect(failed.failureCode).toBe('ARCHIVE_REFUSED');
    expect(failed.reasonText).toBe(
      'Arkivet avviste journalføringen. Velg en ny behandling, for eksempel en annen sak.',
    );
    // Not retried: the archive saw one upload, and the objects made for it are gone again.
    const uploads = archive.requests.filter((r) => r.kind === 'upload' && r.status === 400);
    expect(uploads).toHaveLength(1);
    const [jp] = archive.journalposts().filter((j) => j.beskrivelse === `SvarInn forsendelse ${id}`);
    expect(jp!.dokumentbeskrivelser).toEqual([]);
    const deleted = await api(`/v1/inbound/${failed.id}/triage`, {
      method: 'POST',
      body: { action: 'delete', reason: 'Filen kan ikke leses' },
    });
    expect(deleted.status).toBe(202);
    await itemFor(id, 'DELETED');
  });

  it('serves the inbound routes in the OpenAPI document', async () => {
    const doc = (await (await fetch(`${base}/openapi.json`)).json()) as { paths: Record<string, object> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/v1/receiving-systems',
        '/v1/receiving-systems/{id}',
        '/v1/inbound',
        '/v1/inbound/{id}',
        '/v1/inbound/{id}/files/{fileId}',
        '/v1/inbound/{id}/triage',
      ]),
    );
  });
});

describe('receiving systems API', () => {
  it('answers 409 when an organisation number belongs to another receiving system', async () => {
    const FREE_ORG = orgNumber();
    const other = registerTestSystem(svarinn, [{ orgnr: FREE_ORG }]);
    const res = await api('/v1/receiving-systems', {
      method: 'POST',
      body: systemBody(other, [FREE_ORG, ORG_A]),
    });
    expect(res.status).toBe(409);
    const body = (await res.json()) as { error: { code: string; message: string } };
    expect(body.error.code).toBe('ORG_NUMBER_TAKEN');
    expect(body.error.message).toContain(ORG_A);
    // Also through an update, and across tenants: the constraint is global.
    const stranger = await tenantForTests(db);
    const cross = await api('/v1/receiving-systems', {
      method: 'POST',
      body: systemBody(other, [ORG_B]),
      headers: stranger.auth,
    });
    expect(cross.status).toBe(409);
    const patched = await api(`/v1/receiving-systems/${idB}`, {
      method: 'PATCH',
      body: { orgNumbers: [ORG_A] },
    });
    expect(patched.status).toBe(409);
  });

  it('never returns the secrets, and stores them sealed', async () => {
    const res = await api(`/v1/receiving-systems/${idA}`);
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).not.toContain(systemA.password);
    expect(text).not.toContain('PRIVATE KEY');
    expect(JSON.parse(text)).toMatchObject({ id: idA, orgNumbers: [ORG_A], active: true });
    const [row] = await db.select().from(receivingSystems).where(eq(receivingSystems.id, idA));
    expect(row!.passwordSealed).not.toContain(systemA.password);
    expect(row!.privateKeySealed).not.toContain('PRIVATE KEY');
    expect(secrets.open(row!.passwordSealed)).toBe(systemA.password);
  });

  it('rejects invalid receiving systems with 400 naming the field', async () => {
    const cases: [Record<string, unknown>, RegExp][] = [
      [{ ...systemBody(systemA, ['12345']) }, /orgNumbers\.0/],
      [{ ...systemBody(systemA, ['910000050']), privateKeyPem: 'not a key' }, /privateKeyPem/],
      [
        {
          ...systemBody(systemA, ['910000051']),
          rules: { forward: [{ forsendelseType: 'ks.byggesak', destination: 'nowhere' }] },
        },
        /rules\.forward\.0\.destination/,
      ],
    ];
    for (const [body, field] of cases) {
      const res = await api('/v1/receiving-systems', { method: 'POST', body });
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(field);
    }
  });

  it("answers 404 for another tenant's receiving systems and inbound items", async () => {
    const stranger = await tenantForTests(db);
    expect((await api(`/v1/receiving-systems/${idA}`, { headers: stranger.auth })).status).toBe(404);
    const mine = (await (await api('/v1/inbound')).json()) as { items: { id: string }[] };
    expect(mine.items.length).toBeGreaterThan(0);
    const id = mine.items[0]!.id;
    expect((await api(`/v1/inbound/${id}`, { headers: stranger.auth })).status).toBe(404);
    const triage = await api(`/v1/inbound/${id}/triage`, {
      method: 'POST',
      body: { action: 'delete', reason: 'x' },
      headers: stranger.auth,
    });
    expect(triage.status).toBe(404);
    const theirs = (await (await api('/v1/inbound', { headers: stranger.auth })).json()) as {
      items: unknown[];
    };
    expect(theirs.items).toEqual([]);
  });
});

describe('triage validation', () => {
  let waiting: Item;
  beforeAll(async () => {
    const id = svarinn.inject({
      tittel: 'Venter på triage',
      orgnr: ORG_B,
      svarSendesTil: { navn: 'Noen AS', orgnr: '911111113' },
      files: [{ filnavn: 'd.pdf', content: await pdf('d') }],
    });
    waiting = await itemFor(id, 'AWAITING_TRIAGE');
  });
  const triage = (body: unknown) => api(`/v1/inbound/${waiting.id}/triage`, { method: 'POST', body });

  const invalid: [string, unknown, RegExp][] = [
    ['delete without a reason', { action: 'delete' }, /reason/],
    ['delete with an empty reason', { action: 'delete', reason: '  ' }, /reason/],
    ['an unknown action', { action: 'shred' }, /action/],
    ['forward without a destination', { action: 'forward' }, /destination/],
    ['an unknown field', { action: 'archive', folder: 'x' }, /folder/],
  ];
  for (const [name, body, field] of invalid)
    it(`rejects ${name} with 400 naming the field`, async () => {
      const res = await triage(body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(field);
    });

  it('rejects forwarding to a destination the receiving system lacks, in the workflow validator', async () => {
    const res = await triage({ action: 'forward', destination: 'økonomi' });
    expect(res.status).toBe(400);
    const body = (await res.json()) as { error: { message: string; details: { field: string }[] } };
    expect(body.error.details[0]!.field).toBe('destination');
    expect(body.error.message).toMatch(/byggesak/);
  });

  it('answers 409 once the item is triaged', async () => {
    expect((await triage({ action: 'forward', destination: 'byggesak' })).status).toBe(202);
    const again = await triage({ action: 'delete', reason: 'for sent' });
    expect(again.status).toBe(409);
    await until('the forward to finish', async () =>
      ((await (await api(`/v1/inbound/${waiting.id}`)).json()) as Item).status === 'FORWARDED'
        ? true
        : undefined,
    );
    const afterwards = await triage({ action: 'delete', reason: 'for sent' });
    expect(afterwards.status).toBe(409);
  });
});

describe('deactivation', () => {
  it('stops the receiving systems’ pollers and keeps their items', async () => {
    const before = (await (await api('/v1/inbound')).json()) as { items: unknown[] };
    for (const id of [idA, idB]) {
      const res = await api(`/v1/receiving-systems/${id}`, { method: 'DELETE' });
      expect(res.status).toBe(200);
      expect(((await res.json()) as { active: boolean }).active).toBe(false);
      const poller = inbound.temporal.workflow.getHandle(svarinnPollerWorkflowId(id));
      await until('the poller to stop', async () =>
        (await poller.describe()).status.name === 'RUNNING' ? undefined : true,
      );
    }
    const after = (await (await api('/v1/inbound')).json()) as { items: unknown[] };
    expect(after.items).toHaveLength(before.items.length);
  });
});
