// Tier 3, issue 11: no incoming item is ever stuck. For each kind of bad input the SvarInn simulator can
// serve, the item reaches a state an operator sees, with the reason in Norwegian, within a bounded number of
// attempts, and the receiving system's next item still flows. Real Temporal, PostgreSQL, HTTP simulators.
import { samplePdf } from './support/pdf';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import { type Db } from '../db/connection';
import { inboundItems, receivingSystems } from '../db/schema';
import { MALFORMED_SHAPES, registerTestSystem, type SvarInnTestSystem } from './support/svarinn';
import { type TestSmtpServer } from './support/smtp';
import { type SvarInnSimulator } from '../simulators/svarinn/server';
import type { ArchiveSimulator } from '../simulators/archive/server';
import { Receiver } from './support/webhook-receiver';
import { until } from './support/until';
import { useTestSystem } from './support/system';
import { inboundApi, injectWithFailingDownload, orgNumber, sha256 } from './support/inbound-api';

const ORG = orgNumber();
const DOWNLOAD_ATTEMPTS = 3;
const FLAG_AFTER_MS = 1500;
/** Long enough for the test to decide as an operator on a slow machine; the rule acts after it. */
const RULE_DELAY_MS = 8000;

let db: Db;
let svarinn: SvarInnSimulator;
let archive: ArchiveSimulator;
let smtp: TestSmtpServer;
let system: SvarInnTestSystem;
let systemId: string;
let receiver: Receiver;
const DIGEST_TO = 'postmottak-varsel@kommune.test';
/** The item whose download hung for a while (set by the flag test, read by the alerts test). */
let stuckForsendelse = '';

/** A real PDF (the archive parses what it receives), different bytes each call. */
const pdf = (label: string) => samplePdf(label);

interface Item {
  id: string;
  status: string;
  title: string;
  flagged: boolean;
  flagReason: string | null;
  intakeNote: string | null;
  failureReason: string | null;
  failureCode: string | null;
  reasonText: string | null;
  triage: { action: string; by: string } | null;
  pendingRule: { action: string; caseNumber?: string; actsAt: string } | null;
  files: { sha256: string }[];
}

/** A well-formed item on the same receiving system, injected after the bad one: it must still flow. */
async function nextItemFlows(): Promise<void> {
  const id = svarinn.inject({
    tittel: 'Neste brev i køen',
    orgnr: ORG,
    files: [{ filnavn: 'neste.pdf', content: await pdf('neste') }],
  });
  await itemFor(id, 'AWAITING_TRIAGE');
  expect(svarinn.item(id)).toMatchObject({ state: 'LEST', acknowledgements: 1 });
}

/** SvarUt took the item out of SvarInn (mottakFeilet permanent) with this message. */
async function reportedPermanent(forsendelseId: string): Promise<string> {
  const state = await until('SvarInn to take the item away', () => {
    const s = svarinn.item(forsendelseId)!;
    return s.state === 'MOTTAK_FEILET_PERMANENT' ? s : undefined;
  });
  expect(state.acknowledgements).toBe(0);
  return state.hendelser.find((h) => h.event === 'mottak-feilet-permanent')!.message!;
}

const inbound = useTestSystem({
  inbound: {
    pollIntervalMs: 300,
    downloadAttempts: DOWNLOAD_ATTEMPTS,
    flagAfterMs: FLAG_AFTER_MS,
    autoTriageDelayMs: RULE_DELAY_MS,
    deletedRetentionMs: 60_000,
    digestIntervalMs: 86_400_000,
  },
});
const { api, itemFor } = inboundApi<Item>(inbound);

beforeAll(async () => {
  ({ db, svarinn, archive, smtp } = inbound);
  system = registerTestSystem(svarinn, [{ orgnr: ORG }]);
  const res = await api('/v1/receiving-systems', {
    method: 'POST',
    body: {
      name: 'Arkivsystem',
      username: system.username,
      password: system.password,
      privateKeyPem: system.privateKeyPem,
      orgNumbers: [ORG],
      rules: { archiveIntoNamedCase: true, forward: [] },
      digestEmail: DIGEST_TO,
    },
  });
  expect(res.status).toBe(201);
  systemId = ((await res.json()) as { id: string }).id;
  receiver = await new Receiver(() => 'accept').start();
  const hook = await api('/v1/webhooks', { method: 'POST', body: { url: receiver.url } });
  expect(hook.status).toBe(201);
  receiver.secret = ((await hook.json()) as { secret: string }).secret;
}, 180_000);

afterAll(async () => {
  await receiver?.close();
});

describe('no incoming item is stuck', () => {
  it('an empty ZIP is stored and acknowledged as an item without files, left for an operator (no rule acts on it)', async () => {
    const caseRef = archive.addSaksmappe('Sak for tom forsendelse');
    const [saksaar, sakssekvensnummer] = caseRef.mappeID.split('/').map(Number);
    const id = svarinn.inject({
      tittel: 'Tom forsendelse',
      orgnr: ORG,
      metadataForImport: { saksaar, sakssekvensnummer },
      files: [],
    });
    const item = await itemFor(id, 'AWAITING_TRIAGE');
    expect(item.files).toEqual([]);
    expect(item.intakeNote).toMatch(/ingen filer/);
    expect(item.triage).toBeNull();
    expect(svarinn.item(id)).toMatchObject({ state: 'LEST', downloads: 1, acknowledgements: 1 });
    const res = await api(`/v1/inbound/${item.id}/triage`, {
      method: 'POST',
      body: { action: 'delete', reason: 'Tom forsendelse uten innhold' },
    });
    expect(res.status).toBe(202);
    await itemFor(id, 'DELETED');
    await nextItemFlows();
  });

  const shapes = MALFORMED_SHAPES;
  it('malformed CMS of every shape ends UNREADABLE after one download, reported with mottakFeilet permanent', async () => {
    const content = await pdf('skadet');
    const ids = shapes.map((shape) => {
      return injectWithFailingDownload(
        svarinn,
        { kind: 'malformed', shape },
        { tittel: `Skadet (${shape})`, orgnr: ORG, filnavn: 'a.pdf', content },
      );
    });
    for (const id of ids) {
      const item = await itemFor(id, 'UNREADABLE');
      expect(item.failureReason).toMatch(/skadet|format som ikke kan leses|annen nøkkel/);
      expect(item.failureReason).toMatch(/etter 1 forsøk/);
      expect(['CORRUPT', 'PROTOCOL', 'WRONG_KEY']).toContain(item.failureCode);
      // the technical detail (the CMS parser's English words) stays out of the operators' text
      expect(item.reasonText).not.toMatch(/CMS|EnvelopedData|payload/);
      expect(await reportedPermanent(id)).toBe(item.failureReason);
      expect(svarinn.item(id)!.downloads).toBe(1);
    }
    await nextItemFlows();
  });

  it('a ZIP entry failing its CRC-32 is retried a bounded number of times, then UNREADABLE', async () => {
    const id = injectWithFailingDownload(
      svarinn,
      { kind: 'bad-crc' },
      { tittel: 'Feil CRC', orgnr: ORG, filnavn: 'a.pdf', content: await pdf('crc') },
    );
    const item = await itemFor(id, 'UNREADABLE');
    expect(item.failureReason).toMatch(/CRC-32/);
    expect(item.failureReason).toMatch(new RegExp(`etter ${DOWNLOAD_ATTEMPTS} forsøk`));
    expect(svarinn.item(id)!.downloads).toBe(DOWNLOAD_ATTEMPTS);
    await reportedPermanent(id);
    await nextItemFlows();
  });

  it('a listing without sha256hash (older SvarInn) is received; files are stored as they came', async () => {
    const content = await pdf('eldre');
    svarinn.setListShape({ withoutSha256hash: true });
    try {
      const id = svarinn.inject({
        tittel: 'Fra eldre SvarInn',
        orgnr: ORG,
        files: [{ filnavn: 'e.pdf', content }],
      });
      const item = await itemFor(id, 'AWAITING_TRIAGE');
      expect(item.files.map((f) => f.sha256)).toEqual([sha256(content)]);
    } finally {
      svarinn.setListShape({});
    }
  });

  it('a NUL and a lone surrogate in tittel are stored replaced, with a note, and the intake goes on', async () => {
    const id = svarinn.inject({
      tittel: 'Søknad\u0000om \uD800løyve',
      orgnr: ORG,
      avsender: { navn: 'Avsender\u0000AS' },
      files: [{ filnavn: 'a.pdf', content: await pdf('nul') }],
    });
    const item = await itemFor(id, 'AWAITING_TRIAGE');
    expect(item.title).toBe('Søknad\uFFFDom \uFFFDløyve');
    expect(item.intakeNote).toMatch(/tittel/);
    expect(item.intakeNote).toMatch(/avsender\.navn/);
    await nextItemFlows();
  });

  it('an item with a value PostgreSQL cannot store (a date before 4713 BC) is isolated, recorded and reported; the next flows', async () => {
    const id = svarinn.inject({
      tittel: 'Dato utenfor rekkevidde',
      orgnr: ORG,
      date: -8.64e15,
      files: [{ filnavn: 'a.pdf', content: await pdf('dato') }],
    });
    const item = await itemFor(id, 'UNREADABLE');
    expect(item.title).toBe('Dato utenfor rekkevidde');
    expect(item.failureReason).toMatch(/^Uventet feil ved mottak/);
    expect(item.failureCode).toBe('INTAKE_FAILED');
    expect(item.reasonText).not.toMatch(/PostgreSQL/);
    expect(item.failureReason).toMatch(/PostgreSQL 22/);
    expect(await reportedPermanent(id)).toBe(item.failureReason);
    expect(svarinn.item(id)!.downloads).toBe(0);
    await nextItemFlows();
  });

  it('metadata that cannot be read is recorded as an UNREADABLE item with the reason, and reported', async () => {
    const id = svarinn.inject({
      tittel: 'Uten mottaker',
      orgnr: ORG,
      fields: { downloadUrl: 'ikke en adresse' },
      files: [{ filnavn: 'a.pdf', content: await pdf('meta') }],
    });
    const item = await itemFor(id, 'UNREADABLE');
    expect(item.title).toBe('Uten mottaker');
    expect(item.failureReason).toMatch(/^Metadata fra SvarInn kan ikke leses\. — downloadUrl/);
    expect(item.failureCode).toBe('METADATA_UNREADABLE');
    expect(item.reasonText).toBe('Metadata fra SvarInn kan ikke leses.');
    await reportedPermanent(id);
    await nextItemFlows();
  });
});

describe('items waiting too long in any status that is not final are flagged', () => {
  it('RECEIVED (the download keeps failing) and UNREADABLE are flagged with the status and a hint', async () => {
    const stuck = (stuckForsendelse = randomUUID());
    svarinn.injectDownloadFault({ kind: 'truncate', afterBytes: 100, forsendelseId: stuck, times: 1000 });
    svarinn.inject({
      id: stuck,
      tittel: 'Henger',
      orgnr: ORG,
      files: [{ filnavn: 'a.pdf', content: await pdf('h') }],
    });
    const received = await itemFor(stuck, 'RECEIVED', (i) => i.flagged);
    expect(received.flagReason).toMatch(/«Mottatt»/);
    expect(received.flagReason).toMatch(/SvarInn kan være utilgjengelig/);

    const bad = randomUUID();
    svarinn.injectDownloadFault({ kind: 'wrong-key', forsendelseId: bad, times: 100 });
    svarinn.inject({
      id: bad,
      tittel: 'Feil nøkkel',
      orgnr: ORG,
      files: [{ filnavn: 'a.pdf', content: await pdf('k') }],
    });
    const unreadable = await itemFor(bad, 'UNREADABLE', (i) => i.flagged);
    expect(unreadable.flagReason).toMatch(/«Kan ikke leses»/);
    const flagged = (await (await api('/v1/inbound?flagged=true')).json()) as { items: { id: string }[] };
    expect(flagged.items.map((i) => i.id)).toEqual(expect.arrayContaining([received.id, unreadable.id]));

    // Once the fault is gone it moves on; the flag for the old status goes with it.
    svarinn.clearFaults();
    const moved = await itemFor(stuck, 'AWAITING_TRIAGE');
    expect(moved.flagReason ?? '').not.toMatch(/«Mottatt»/);
  });

  it('ARCHIVING (the archive keeps failing) is flagged', async () => {
    archive.injectFault({ kind: 'create:journalpost', status: 503, count: 1000 });
    try {
      const id = svarinn.inject({
        tittel: 'Til arkivet',
        orgnr: ORG,
        files: [{ filnavn: 'a.pdf', content: await pdf('ark') }],
      });
      const waiting = await itemFor(id, 'AWAITING_TRIAGE');
      const res = await api(`/v1/inbound/${waiting.id}/triage`, {
        method: 'POST',
        body: { action: 'archive', caseTitle: 'Ny sak' },
      });
      expect(res.status).toBe(202);
      const archiving = await itemFor(id, 'ARCHIVING', (i) => i.flagged);
      expect(archiving.flagReason).toMatch(/«Arkiveres»/);
      expect(archiving.flagReason).toMatch(/Arkivet svarer ikke/);
    } finally {
      archive.clearFaults();
    }
  });

  it('operators hear of it: signed webhooks for status changes and flags, and one digest e-mail', async () => {
    const [stuck] = await db
      .select({ id: inboundItems.id })
      .from(inboundItems)
      .where(eq(inboundItems.forsendelseId, stuckForsendelse));
    const forStuck = await until('the webhooks for the item that hung', () => {
      const mine = receiver.accepted.filter((r) => r.letterId === stuck!.id);
      return mine.some((r) => r.status === 'AWAITING_TRIAGE') ? mine : undefined;
    });
    // In order; it may since have been flagged again, waiting for triage.
    expect(forStuck.map((r) => `${r.type} ${r.status}`).slice(0, 4)).toEqual([
      'inbound.status_changed RECEIVED',
      'inbound.flagged RECEIVED',
      'inbound.status_changed STORED',
      'inbound.status_changed AWAITING_TRIAGE',
    ]);
    expect(forStuck[1]!.data.reason).toMatch(/«Mottatt»/);
    expect(receiver.accepted.every((r) => r.signatureValid)).toBe(true);
    // Ids, status and reasons only: never the title or the sender.
    expect(JSON.stringify(receiver.accepted)).not.toMatch(/Henger|Storevik/);
    const unreadable = receiver.accepted.find(
      (r) => r.type === 'inbound.status_changed' && r.status === 'UNREADABLE',
    );
    expect(unreadable?.data.reason).toMatch(/forsøk/);

    const digest = await until('the digest e-mail', () =>
      smtp.mails.find((m) => (m.to as { text: string } | undefined)?.text === DIGEST_TO),
    );
    expect(digest.subject).toMatch(/^SvarInn: \d+ forsendelser? venter for lenge \(Arkivsystem\)$/);
    expect(digest.text).toMatch(/har ventet for lenge/);
    expect(digest.text).toMatch(/Har stått som «/);
    // At most one a day: the interval has not passed again.
    await new Promise((r) => setTimeout(r, 1500));
    expect(smtp.mails.filter((m) => (m.to as { text: string } | undefined)?.text === DIGEST_TO)).toHaveLength(
      1,
    );
  });

  it('the receiving system shows no poll error after all this', async () => {
    const [row] = await db.select().from(receivingSystems).where(eq(receivingSystems.id, systemId));
    expect(row!.lastPollError).toBeNull();
  });
});

describe('rules with an operator override', () => {
  it('a rule acts after its delay; an operator deciding within the delay wins', async () => {
    const caseRef = archive.addSaksmappe('Byggesak med regel');
    const [saksaar, sakssekvensnummer] = caseRef.mappeID.split('/').map(Number);
    const named = { metadataForImport: { saksaar, sakssekvensnummer }, orgnr: ORG };
    const overridden = svarinn.inject({
      ...named,
      tittel: 'Regelen ville arkivert den',
      files: [{ filnavn: 'a.pdf', content: await pdf('overstyrt') }],
    });
    const ruled = svarinn.inject({
      ...named,
      tittel: 'Regelen arkiverer den',
      files: [{ filnavn: 'b.pdf', content: await pdf('regel') }],
    });
    const waiting = await itemFor(overridden, 'AWAITING_TRIAGE', (i) => i.pendingRule !== null);
    expect(waiting.pendingRule).toMatchObject({ action: 'archive', caseNumber: caseRef.mappeID });
    expect(Number.isNaN(Date.parse(waiting.pendingRule!.actsAt))).toBe(false);
    const res = await api(`/v1/inbound/${waiting.id}/triage`, {
      method: 'POST',
      body: { action: 'delete', reason: 'Feilsendt, hører ikke til saken' },
    });
    expect(res.status).toBe(202);
    const deleted = await itemFor(overridden, 'DELETED');
    expect(deleted.triage).toMatchObject({ action: 'delete', by: 'operator' });
    expect(deleted.pendingRule).toBeNull();

    const archived = await itemFor(ruled, 'ARCHIVED');
    expect(archived.triage).toMatchObject({ action: 'archive', by: 'rule' });
    expect(archived.pendingRule).toBeNull();
    const filed = (id: string) =>
      archive.journalposts().filter((jp) => jp.beskrivelse === `SvarInn forsendelse ${id}`);
    expect(filed(ruled)).toHaveLength(1);
    expect(filed(overridden)).toHaveLength(0);
  });
});

describe('SvarInn down', () => {
  it('is shown on the receiving system in Norwegian while it lasts, and waited out', async () => {
    svarinn.injectFault({ endpoint: 'list', status: 503, times: 3 });
    const pollError = () =>
      db
        .select({ text: receivingSystems.lastPollError, detail: receivingSystems.lastPollErrorDetail })
        .from(receivingSystems)
        .where(eq(receivingSystems.id, systemId))
        .then(([r]) => r!);
    const shown = await until('the poll error', async () => {
      const e = await pollError();
      return e.text === null ? undefined : e;
    });
    expect(shown.text).toBe('SvarInn svarer ikke; prøver igjen ved neste henting');
    expect(shown.detail).toMatch(/503/);
    await until('the poll error to clear', async () => {
      const e = await pollError();
      return e.text === null && e.detail === null;
    });
    await nextItemFlows();
  });
});
