// Contract tests: the SvarInn client against the SvarInn simulator over real HTTP. The two implement the
// wire format separately (CONVENTIONS #11), so these fail when either one drifts from svarinn-api.md.
import { createHash, randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SvarInnSimulator } from '../../simulators/svarinn/server';
import { SvarInnClient } from './client';
import { SvarInnError } from './errors';
import {
  MALFORMED_SHAPES,
  registerTestSystem,
  svarinnForTests,
  SVARINN_ORGNR,
  type SvarInnTestSystem,
} from '../../test/support/svarinn';

const pdf = (text: string) => Buffer.from(`%PDF-1.4\n% ${text}\n%%EOF\n`);
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

let sim: SvarInnSimulator;
let system: SvarInnTestSystem;
let client: SvarInnClient;

beforeEach(async () => {
  const t = await svarinnForTests();
  sim = t.sim;
  system = t;
  client = t.client;
});
afterEach(async () => {
  await sim.close();
});

function injectLetter(over: Partial<Parameters<SvarInnSimulator['inject']>[0]> = {}) {
  return sim.inject({
    tittel: 'Søknad om skjenkebevilling',
    orgnr: SVARINN_ORGNR,
    files: [
      {
        filnavn: 'Søknad æøå.pdf',
        mimetype: 'application/pdf',
        content: pdf('hoveddokument'),
        dokumentType: 'H',
      },
      { filnavn: 'vedlegg.txt', mimetype: 'text/plain', content: 'vedlegg' },
    ],
    ...over,
  });
}

async function failure(p: Promise<unknown>): Promise<SvarInnError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof SvarInnError) return e;
    throw e;
  }
  throw new Error('expected the call to fail');
}

describe('list, download, acknowledge', () => {
  it('lists an item, downloads and verifies its files, and no longer lists it once acknowledged', async () => {
    const id = injectLetter({
      date: Date.UTC(2026, 0, 5, 8),
      metadataForImport: { saksaar: 2026, sakssekvensnummer: 42 },
    });
    const [item, ...rest] = await client.listNew();
    expect(rest).toEqual([]);
    expect(item).toMatchObject({
      id,
      tittel: 'Søknad om skjenkebevilling',
      status: 'Klar for mottak',
      niva: '3',
    });
    expect(item!.mottaker.orgnr).toBe(SVARINN_ORGNR);
    expect(item!.metadataForImport).toMatchObject({ saksaar: 2026, sakssekvensnummer: 42 });
    expect(item!.date).toBe('2026-01-05T08:00:00.000Z');

    const files = await client.download(item!);
    expect(files.map((f) => f.filename)).toEqual(['Søknad æøå.pdf', 'vedlegg.txt']);
    expect(files[0]!.content.equals(pdf('hoveddokument'))).toBe(true);
    expect(files[0]).toMatchObject({ mimeType: 'application/pdf', sha256: sha256(pdf('hoveddokument')) });
    expect(files[1]).toMatchObject({ mimeType: 'text/plain', size: 7 });

    // Downloading does not take an item away: only the acknowledgement does.
    expect((await client.listNew()).map((f) => f.id)).toEqual([id]);
    await client.acknowledge(id);
    expect(await client.listNew()).toEqual([]);
    expect(sim.item(id)).toMatchObject({
      state: 'LEST',
      svarUtStatus: 'Lest',
      downloads: 1,
      acknowledgements: 1,
    });
    // A repeated acknowledgement (the first answer was lost) is harmless.
    await client.acknowledge(id);
    expect(sim.item(id)!.hendelser.filter((h) => h.event === 'kvittert')).toHaveLength(1);
  });

  it('returns an un-acknowledged item on every poll', async () => {
    const id = injectLetter();
    for (let poll = 0; poll < 3; poll++) expect((await client.listNew()).map((f) => f.id)).toEqual([id]);
  });

  it('lists at most 200 items; the rest appear as items are acknowledged', async () => {
    const start = sim.now() - 1_000_000;
    for (let i = 0; i < 205; i++)
      injectLetter({ date: start + i, files: [{ filnavn: 'a.pdf', content: pdf(String(i)) }] });
    const first = await client.listNew();
    expect(first).toHaveLength(200);
    for (const f of first.slice(0, 10)) await client.acknowledge(f.id);
    expect(await client.listNew()).toHaveLength(195);
  });

  it('handles a single-PDF download, a zero-byte file and an empty ZIP', async () => {
    const single = injectLetter({
      delivery: 'pdf',
      files: [{ filnavn: 'brev.pdf', content: pdf('single') }],
    });
    const zeroByte = injectLetter({ files: [{ filnavn: 'tom.txt', mimetype: 'text/plain', content: '' }] });
    const empty = injectLetter({ files: [] });
    const byId = new Map((await client.listNew()).map((f) => [f.id, f]));
    const [one] = await client.download(byId.get(single)!);
    expect(one).toMatchObject({
      filename: 'brev.pdf',
      mimeType: 'application/pdf',
      sha256: sha256(pdf('single')),
    });
    expect(await client.download(byId.get(zeroByte)!)).toMatchObject([{ filename: 'tom.txt', size: 0 }]);
    expect(await client.download(byId.get(empty)!)).toEqual([]);
  });
});

describe('large files', () => {
  it('joins 1000-byte ciphertext chunks that split AES blocks, beyond asn1js default node limit (12 MB)', async () => {
    const big = randomBytes(12 * 1024 * 1024); // incompressible: over 12 000 chunks of 1000 bytes
    injectLetter({ files: [{ filnavn: 'tegning.bin', mimetype: 'application/octet-stream', content: big }] });
    const [item] = await client.listNew();
    const [file] = await client.download(item!);
    expect(file!.size).toBe(big.length);
    expect(file!.content.equals(big)).toBe(true);
  });
});

describe('mottakFeilet', () => {
  it('a temporary failure is logged and the item stays listed; a permanent one takes it out of SvarInn', async () => {
    const id = injectLetter();
    await client.reportFailed(id, { permanent: false, message: 'Arkivet svarer ikke' });
    expect((await client.listNew()).map((f) => f.id)).toEqual([id]);
    expect(sim.item(id)!.hendelser).toContainEqual(
      expect.objectContaining({ event: 'mottak-feilet', message: 'Arkivet svarer ikke' }),
    );

    await client.reportFailed(id, { permanent: true, message: 'Kan ikke dekryptere' });
    expect(await client.listNew()).toEqual([]);
    expect(sim.item(id)).toMatchObject({ state: 'MOTTAK_FEILET_PERMANENT', svarUtStatus: 'Varslet' });
  });
});

describe('routing and credentials', () => {
  it('routes by organisation number, and a type-specific registration wins for its type', async () => {
    const archive = system;
    const other = registerTestSystem(sim, [{ orgnr: '920000001' }]);
    const byggesak = registerTestSystem(sim, [{ orgnr: SVARINN_ORGNR, forsendelseType: 'ks.byggesøknad' }]);
    const general = injectLetter();
    const bygg = injectLetter({ forsendelseType: 'ks.byggesøknad' });
    const forOther = injectLetter({ orgnr: '920000001' });
    const nobody = injectLetter({ orgnr: '930000002' });

    expect((await archive.client.listNew()).map((f) => f.id)).toEqual([general]);
    expect((await byggesak.client.listNew()).map((f) => f.id)).toEqual([bygg]);
    expect((await other.client.listNew()).map((f) => f.id)).toEqual([forOther]);
    expect(sim.item(nobody)).toMatchObject({ state: 'IKKE_I_SVARINN', receivingSystemId: null });

    // Another system's item is not found, for download and acknowledgement alike.
    const foreign = (await other.client.listNew())[0]!;
    expect((await failure(archive.client.download(foreign))).kind).toBe('not-found');
    expect((await failure(archive.client.acknowledge(forOther))).kind).toBe('not-found');
    expect(sim.item(forOther)!.state).toBe('KLAR_FOR_MOTTAK');
  });

  it('a wrong password is an auth error that is not retried', async () => {
    const wrong = new SvarInnClient({
      baseUrl: sim.url,
      username: system.username,
      password: 'not-the-password',
      privateKeyPem: system.privateKeyPem,
    });
    const e = await failure(wrong.listNew());
    expect(e).toMatchObject({ kind: 'auth', httpStatus: 401, retryable: false });
  });

  it('sends credentials only to the configured SvarInn, even when downloadUrl points elsewhere', async () => {
    injectLetter({ fields: { downloadUrl: 'https://evil.example/tjenester/svarinn/forsendelse/x' } });
    const [item] = await client.listNew();
    expect((await failure(client.download(item!))).kind).toBe('protocol');
  });
});

describe('HTTP faults', () => {
  it.each([
    [401, 'auth', false],
    [403, 'auth', false],
    [404, 'not-found', false],
    [500, 'transient', true],
    [503, 'transient', true],
  ] as const)('HTTP %i on each call is %s (retryable: %s)', async (status, kind, retryable) => {
    const id = injectLetter();
    const [item] = await client.listNew();
    sim.injectFault({ endpoint: 'list', status });
    sim.injectFault({ endpoint: 'download', status });
    sim.injectFault({ endpoint: 'ack', status });
    sim.injectFault({ endpoint: 'fail', status });
    for (const call of [
      client.listNew(),
      client.download(item!),
      client.acknowledge(id),
      client.reportFailed(id, { permanent: true, message: 'x' }),
    ])
      expect(await failure(call)).toMatchObject({ kind, httpStatus: status, retryable });
    // Each fault was used once: the item is untouched and everything works again.
    expect(sim.item(id)!.state).toBe('KLAR_FOR_MOTTAK');
    expect(await client.download(item!)).toHaveLength(2);
  });

  it('a list call that outlasts the time limit is transient', async () => {
    const slow = new SvarInnClient({
      baseUrl: sim.url,
      username: system.username,
      password: system.password,
      privateKeyPem: system.privateKeyPem,
      requestTimeoutMs: 200,
    });
    sim.injectFault({ endpoint: 'list', delayMs: 5_000 });
    expect(await failure(slow.listNew())).toMatchObject({ kind: 'transient', retryable: true });
  });

  it('an acknowledgement that fails after it was applied can be repeated safely', async () => {
    const id = injectLetter();
    sim.injectAckFault({ kind: 'fails-after-apply', times: 1 });
    expect((await failure(client.acknowledge(id))).kind).toBe('transient');
    expect(sim.item(id)!.state).toBe('LEST');
    await client.acknowledge(id);
    expect(await client.listNew()).toEqual([]);
  });

  it('a lost acknowledgement brings the same item back on every poll', async () => {
    const id = injectLetter();
    sim.injectAckFault({ kind: 'lost', forsendelseId: id, times: 2 });
    await client.acknowledge(id);
    expect((await client.listNew()).map((f) => f.id)).toEqual([id]);
    await client.acknowledge(id);
    expect((await client.listNew()).map((f) => f.id)).toEqual([id]);
    await client.acknowledge(id);
    expect(await client.listNew()).toEqual([]);
  });
});

describe('download faults', () => {
  async function listedItem() {
    const id = injectLetter();
    const item = (await client.listNew()).find((f) => f.id === id)!;
    return { id, item };
  }

  it('a slow download that outlasts the time limit is transient', async () => {
    const { id, item } = await listedItem();
    const impatient = new SvarInnClient({
      baseUrl: sim.url,
      username: system.username,
      password: system.password,
      privateKeyPem: system.privateKeyPem,
      downloadTimeoutMs: 300,
    });
    sim.injectDownloadFault({ kind: 'slow', delayMs: 10_000, forsendelseId: id, times: 1 });
    expect(await failure(impatient.download(item))).toMatchObject({ kind: 'transient', retryable: true });
    expect(await client.download(item)).toHaveLength(2);
  });

  it('a slow download within the time limit succeeds', async () => {
    const { id, item } = await listedItem();
    sim.injectDownloadFault({ kind: 'slow', delayMs: 300, forsendelseId: id, times: 1 });
    expect(await client.download(item)).toHaveLength(2);
  });

  it('a download cut off mid-body is transient', async () => {
    const { id, item } = await listedItem();
    sim.injectDownloadFault({ kind: 'truncate', afterBytes: 500, forsendelseId: id, times: 1 });
    expect(await failure(client.download(item))).toMatchObject({ kind: 'transient', retryable: true });
  });

  it('corrupted ciphertext is corrupt (retryable), every time until the fault is gone', async () => {
    const { id, item } = await listedItem();
    sim.injectDownloadFault({ kind: 'corrupt', forsendelseId: id, times: 2 });
    expect(await failure(client.download(item))).toMatchObject({ kind: 'corrupt', retryable: true });
    expect(await failure(client.download(item))).toMatchObject({ kind: 'corrupt', retryable: true });
    expect(await client.download(item)).toHaveLength(2);
  });

  it('a download encrypted to another key is wrong-key (not retryable)', async () => {
    const { id, item } = await listedItem();
    sim.injectDownloadFault({ kind: 'wrong-key', forsendelseId: id });
    expect(await failure(client.download(item))).toMatchObject({ kind: 'wrong-key', retryable: false });
  });

  it('legacy PKCS#1 v1.5 key transport is refused as protocol', async () => {
    const { id, item } = await listedItem();
    sim.injectDownloadFault({ kind: 'pkcs1', forsendelseId: id });
    expect(await failure(client.download(item))).toMatchObject({ kind: 'protocol', retryable: false });
  });

  it('definite-length DER and trailing bytes decrypt like the BER default', async () => {
    const { id, item } = await listedItem();
    sim.injectDownloadFault({ kind: 'der', forsendelseId: id, times: 1 });
    expect(await client.download(item)).toHaveLength(2);
    sim.injectDownloadFault({ kind: 'trailing-bytes', forsendelseId: id, times: 1 });
    expect(await client.download(item)).toHaveLength(2);
  });
});

describe('checksums', () => {
  it('a file whose SHA-256 differs from filmetadata is a checksum error', async () => {
    injectLetter({ files: [{ filnavn: 'a.pdf', content: pdf('a'), sha256hash: sha256(pdf('b')) }] });
    const [item] = await client.listNew();
    const e = await failure(client.download(item!));
    expect(e).toMatchObject({ kind: 'checksum', retryable: true });
    expect(e.message).toMatch(/a\.pdf/);
  });

  it('a size that differs from filmetadata is a checksum error; size 0 means unknown', async () => {
    injectLetter({ files: [{ filnavn: 'a.pdf', content: pdf('a'), size: 3 }] });
    injectLetter({ files: [{ filnavn: 'b.pdf', content: pdf('b'), size: 0 }] });
    const [wrongSize, unknownSize] = await client.listNew();
    expect((await failure(client.download(wrongSize!))).kind).toBe('checksum');
    expect(await client.download(unknownSize!)).toHaveLength(1);
  });

  it('a file listed in filmetadata but missing from the ZIP, or an unlisted extra file, is a checksum error', async () => {
    injectLetter();
    const [item] = await client.listNew();
    const missing = {
      ...item!,
      filmetadata: [...item!.filmetadata, { ...item!.filmetadata[0]!, filnavn: 'borte.pdf' }],
    };
    expect((await failure(client.download(missing))).message).toMatch(/borte\.pdf/);
    const extra = { ...item!, filmetadata: item!.filmetadata.slice(0, 1) };
    expect((await failure(client.download(extra))).message).toMatch(/vedlegg\.txt/);
  });

  it('verification can be turned off for test environments with dummy hashes', async () => {
    injectLetter({ files: [{ filnavn: 'a.pdf', content: pdf('a'), sha256hash: 'c0ffee' }] });
    const lax = new SvarInnClient({
      baseUrl: sim.url,
      username: system.username,
      password: system.password,
      privateKeyPem: system.privateKeyPem,
      verifyChecksums: false,
    });
    const [item] = await lax.listNew();
    expect(await lax.download(item!)).toMatchObject([{ filename: 'a.pdf', sha256: sha256(pdf('a')) }]);
  });
});

describe('inputs that must never leave an item stuck (issue 11)', () => {
  it('an empty ZIP with an empty filmetadata list downloads as no files', async () => {
    const id = injectLetter({ files: [] });
    const [item] = await client.listNew();
    expect(item).toMatchObject({ id, filmetadata: [] });
    expect(await client.download(item!)).toEqual([]);
  });

  const shapes = MALFORMED_SHAPES;
  it.each(shapes)('malformed CMS (%s) is the client’s own non-retryable error', async (shape) => {
    const id = injectLetter();
    sim.injectDownloadFault({ kind: 'malformed', shape, forsendelseId: id, times: 1 });
    const [item] = await client.listNew();
    const e = await failure(client.download(item!));
    expect(e.retryable).toBe(false);
    expect(['corrupt', 'protocol', 'wrong-key']).toContain(e.kind);
    // The next download of the same item is well formed again: the fault was in that one download.
    expect(await client.download(item!)).toHaveLength(2);
  });

  it('a ZIP entry that does not match its CRC-32 is a corrupt download, even without SHA-256 in the listing', async () => {
    injectLetter();
    sim.setListShape({ withoutSha256hash: true });
    const [item] = await client.listNew();
    sim.injectDownloadFault({ kind: 'bad-crc', times: 1 });
    const e = await failure(client.download(item!));
    expect(e).toMatchObject({ kind: 'corrupt', retryable: true });
    expect(e.message).toMatch(/CRC-32/);
  });

  it('a listing without sha256hash (older SvarInn) is accepted; sizes are still checked', async () => {
    injectLetter();
    injectLetter({ files: [{ filnavn: 'a.pdf', content: pdf('a'), size: 3 }] });
    sim.setListShape({ withoutSha256hash: true });
    const { items, rejected } = await client.listNewDetailed();
    expect(rejected).toEqual([]);
    expect(items.flatMap((f) => f.filmetadata.map((m) => m.sha256hash))).toEqual([null, null, null]);
    const whole = items.find((f) => f.filmetadata.length === 2)!;
    const files = await client.download(whole);
    expect(files[0]!.sha256).toBe(sha256(pdf('hoveddokument')));
    const wrongSize = items.find((f) => f.filmetadata.length === 1)!;
    expect((await failure(client.download(wrongSize))).kind).toBe('checksum');
  });

  it('where sha256hash is present it is still verified', async () => {
    injectLetter({ files: [{ filnavn: 'a.pdf', content: pdf('a'), sha256hash: sha256(pdf('b')) }] });
    const [item] = await client.listNew();
    expect((await failure(client.download(item!))).kind).toBe('checksum');
  });
});

describe('JSON drift', () => {
  it('parses unknown fields, null journal numbers and ISO dates', async () => {
    const date = Date.UTC(2026, 0, 2, 3, 4, 5);
    const id = injectLetter({
      date,
      metadataFraAvleverendeSystem: {
        saksaar: 2025,
        sakssekvensnummer: 9,
        journalpostnummer: 3,
        dokumentetsDato: date,
      },
      metadataForImport: { saksaar: 2026, sakssekvensnummer: 1, dokumentetsDato: date },
    });
    for (const dates of ['epoch', 'iso'] as const) {
      sim.setListShape({ unknownFields: true, nullJournalNumbers: true, dates });
      const { items, rejected } = await client.listNewDetailed();
      expect(rejected).toEqual([]);
      const [item] = items;
      expect(item!.id).toBe(id);
      expect(item!.date).toBe(new Date(date).toISOString());
      expect(item!.metadataFraAvleverendeSystem).toMatchObject({
        saksaar: 2025,
        journalpostnummer: null,
        journalaar: null,
        dokumentetsDato: new Date(date).toISOString(),
      });
      expect(item!.metadataForImport!.dokumentetsDato).toBe(new Date(date).toISOString());
      expect((item!.raw as Record<string, unknown>).nyttFeltFraKs).toBeDefined();
      expect(await client.download(item!)).toHaveLength(2);
    }
  });

  it('an unreadable element is returned as rejected, with its id, without hiding the others', async () => {
    const bad = injectLetter({ fields: { tittel: null } });
    const good = injectLetter();
    const { items, rejected } = await client.listNewDetailed();
    expect(items.map((f) => f.id)).toEqual([good]);
    expect(rejected).toMatchObject([{ id: bad, problem: expect.stringMatching(/tittel/) }]);
  });

  it('clients do not depend on list order', async () => {
    const ids = Array.from({ length: 20 }, (_, i) => injectLetter({ date: sim.now() - 1000 + i }));
    sim.setListShape({ order: 'shuffled' });
    const listed = (await client.listNew()).map((f) => f.id);
    expect([...listed].sort()).toEqual([...ids].sort());
  });
});

describe('virtual clock', () => {
  it('flags an item un-acknowledged for more than two hours', async () => {
    const id = injectLetter();
    expect(sim.item(id)!.advarsel).toBe(false);
    sim.advanceClock(2 * 3600_000 + 1);
    expect(sim.item(id)!.advarsel).toBe(true);
    await client.acknowledge(id);
    expect(sim.item(id)!.advarsel).toBe(false);
  });
});

describe('configuration', () => {
  it('a private key that cannot be read fails at construction with a readable error', () => {
    expect(
      () => new SvarInnClient({ baseUrl: sim.url, username: 'u', password: 'p', privateKeyPem: 'not a key' }),
    ).toThrow(/private key could not be read/);
  });
});
