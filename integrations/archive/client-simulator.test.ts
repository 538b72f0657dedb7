// Contract tests: the archive client against the Noark 5 simulator, which implements the protocol on its own,
// in each of the simulator's modes (the standard's text, and what an independent server did, §1.4).
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_OAUTH_CLIENT, ARCHIVE_USER, archiveForTests } from '../../test/support/archive';
import { samplePdf } from '../../test/support/pdf';
import { ARCHIVE_SIMULATOR_MODES, type ArchiveSimulator } from '../../simulators/archive/server';
import {
  ArchiveClient,
  ArchiveRefusedError,
  ArchiveUnavailableError,
  EXTERNAL_KEY_PREFIX,
  type FileIncomingRequest,
} from './client';

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

async function letter(overrides: Partial<FileIncomingRequest> = {}): Promise<FileIncomingRequest> {
  return {
    externalId: randomUUID(),
    title: `Søknad om ferdigattest – Storgata ${randomBytes(2).readUInt16BE()}`,
    receivedAt: '2026-03-03T09:15:00+01:00',
    documentDate: '2026-03-02',
    replyTo: {
      name: 'Eksempel Bygg AS',
      orgNumber: '999888777',
      address: { lines: ['Postboks 1'], postalCode: '0101', city: 'Oslo' },
    },
    documents: [
      {
        filename: 'situasjonsplan.pdf',
        mimeType: 'application/pdf',
        content: await samplePdf('Situasjonsplan'),
        role: 'V',
      },
      { filename: 'soknad.pdf', mimeType: 'application/pdf', content: await samplePdf('Søknad'), role: 'H' },
    ],
    ...overrides,
  };
}

for (const mode of ARCHIVE_SIMULATOR_MODES) {
  describe(`ArchiveClient against the Noark 5 simulator (${mode})`, () => {
    let sim: ArchiveSimulator;
    let client: ArchiveClient;
    beforeAll(async () => {
      ({ sim, client } = await archiveForTests({ mode }));
    });
    afterAll(() => sim.close());
    beforeEach(() => sim.clearFaults());

    const journalpostsFor = (externalId: string) =>
      sim.journalposts().filter((jp) => jp.beskrivelse === `SvarInn forsendelse ${externalId}`);
    const writes = () => sim.requests.filter((r) => /^(create|delete):|^upload$/.test(r.kind));

    /** The filing is complete and single: one case, one journalpost, every document once with its bytes. */
    function expectFiledOnce(req: FileIncomingRequest, senders = 1) {
      const jps = journalpostsFor(req.externalId);
      expect(jps).toHaveLength(1);
      const jp = jps[0]!;
      expect(sim.saksmapper().filter((s) => s.systemID === jp.saksmappe.systemID)).toHaveLength(1);
      expect(jp.korrespondanseparter).toHaveLength(senders);
      expect(jp.dokumentbeskrivelser).toHaveLength(req.documents.length);
      for (const db of jp.dokumentbeskrivelser) {
        expect(db.eksternReferanse).toBe(`${EXTERNAL_KEY_PREFIX}${req.externalId}`);
        expect(db.dokumentobjekter).toHaveLength(1);
        expect(db.dokumentobjekter[0]!.file).toBeDefined();
      }
      return jp;
    }

    it('acceptance: files a letter with a main document and an attachment, reads both back with equal SHA-256, and a retry files nothing twice', async () => {
      const req = await letter();
      const first = await client.fileIncoming(req);
      expect(first.alreadyFiled).toBe(false);
      expectFiledOnce(req);

      const read = await client.readFiled(req.externalId);
      expect(read.map((d) => [d.role, d.filename, d.mimeType, sha256(d.content)])).toEqual([
        ['H', 'soknad.pdf', 'application/pdf', sha256(req.documents[1]!.content)],
        ['V', 'situasjonsplan.pdf', 'application/pdf', sha256(req.documents[0]!.content)],
      ]);

      const before = writes().length;
      const again = await new ArchiveClient({
        baseUrl: sim.url,
        ...ARCHIVE_USER,
        ...ARCHIVE_OAUTH_CLIENT,
      }).fileIncoming(req);
      expect(again).toEqual({ ...first, alreadyFiled: true });
      expect(writes()).toHaveLength(before);
      expectFiledOnce(req);
    });

    it('files an incoming letter: type I, sender EA, H and V documents whose stored bytes equal the originals', async () => {
      const req = await letter();
      const result = await client.fileIncoming(req);

      const jp = expectFiledOnce(req);
      expect(result).toMatchObject({
        journalpostId: jp.systemID,
        journalpostNumber: `${String(jp.journalaar)}/${String(jp.journalsekvensnummer)}`,
        caseId: jp.saksmappe.systemID,
        caseNumber: jp.saksmappe.mappeID,
        alreadyFiled: false,
      });
      expect(jp.tittel).toBe(req.title);
      expect(jp.journalposttype).toEqual({ kode: 'I', kodenavn: 'Inngående dokument' });
      // The server's own text for M, which differs from the standard's: read from its code list.
      expect(jp.journalstatus).toEqual({ kode: 'M', kodenavn: 'Midlertidig registrering av' });
      expect(jp.mottattDato).toBe('2026-03-03T09:15:00+01:00');
      expect(jp.dokumentetsDato).toBe('2026-03-02T00:00:00+01:00');

      const sender = jp.korrespondanseparter[0]!;
      expect(sender).toMatchObject({
        korrespondanseparttype: { kode: 'EA', kodenavn: 'Avsender' },
        navn: 'Eksempel Bygg AS',
        enhetsidentifikator: { organisasjonsnummer: '999888777' },
      });
      expect(sender.postadresse).toEqual({
        adresselinje1: 'Postboks 1',
        postnummer: '0101',
        poststed: 'Oslo',
      });

      const [main, attachment] = jp.dokumentbeskrivelser;
      expect(main).toMatchObject({
        dokumentnummer: 1,
        tilknyttetRegistreringSom: { kode: 'H', kodenavn: 'Hoveddokument' },
        tittel: req.title,
      });
      expect(attachment).toMatchObject({ dokumentnummer: 2, tilknyttetRegistreringSom: { kode: 'V' } });
      const original = (name: string) => req.documents.find((d) => d.filename === name)!.content;
      for (const db of [main!, attachment!]) {
        const objekt = db.dokumentobjekter[0]!;
        const content = original(String(objekt.filnavn));
        expect(objekt.file).toEqual({
          sha256: sha256(content),
          size: content.length,
          contentType: 'application/pdf',
        });
        expect(objekt.variantformat).toEqual({ kode: 'A', kodenavn: 'Arkivformat' });
      }
      expect(String(main!.dokumentobjekter[0]!.filnavn)).toBe('soknad.pdf');
    });

    it('records avsender and svarSendesTil as two parties when they differ, never one’s name with the other’s number (§1.4 point 17)', async () => {
      const req = await letter({
        sender: {
          name: 'Storevik kommune',
          address: { lines: ['Postboks 123'], postalCode: '0151', city: 'Oslo' },
        },
        replyTo: { name: 'Eksempel Bygg AS', orgNumber: '999888777' },
      });
      await client.fileIncoming(req);
      const parts = expectFiledOnce(req, 2).korrespondanseparter;
      const byName = Object.fromEntries(parts.map((p) => [p.navn, p]));
      expect(byName['Storevik kommune']).toMatchObject({
        korrespondanseparttype: { kode: 'EA' },
        postadresse: { adresselinje1: 'Postboks 123', postnummer: '0151', poststed: 'Oslo' },
      });
      expect(byName['Storevik kommune']).not.toHaveProperty('enhetsidentifikator');
      expect(byName['Eksempel Bygg AS']).toMatchObject({
        korrespondanseparttype: { kode: 'EA' },
        enhetsidentifikator: { organisasjonsnummer: '999888777' },
      });

      // The same party under both names: recorded once, as svarSendesTil (with its number).
      const same = await letter({
        sender: { name: 'Eksempel Bygg AS' },
        replyTo: { name: 'Eksempel Bygg AS', orgNumber: '999888777' },
      });
      await client.fileIncoming(same);
      expect(expectFiledOnce(same, 1).korrespondanseparter[0]).toMatchObject({
        navn: 'Eksempel Bygg AS',
        enhetsidentifikator: { organisasjonsnummer: '999888777' },
      });

      // Only avsender (no svarSendesTil): its name, no number.
      const only = await letter({ sender: { name: 'Storevik kommune' }, replyTo: undefined });
      await client.fileIncoming(only);
      expect(expectFiledOnce(only, 1).korrespondanseparter[0]).not.toHaveProperty('enhetsidentifikator');
    });

    it('files into an existing case found by case number or by systemID', async () => {
      const existing = sim.addSaksmappe('Byggesak Storgata 1');
      const byNumber = await client.fileIncoming(await letter({ caseRef: { caseNumber: existing.mappeID } }));
      const byId = await client.fileIncoming(await letter({ caseRef: { caseId: existing.systemID } }));
      expect(byNumber).toMatchObject({ caseId: existing.systemID, caseNumber: existing.mappeID });
      expect(byId).toMatchObject({ caseId: existing.systemID, caseNumber: existing.mappeID });
      expect(byNumber.journalpostId).not.toBe(byId.journalpostId);
      expect(sim.saksmapper().find((s) => s.systemID === existing.systemID)?.journalposter).toBe(2);
    });

    it('an unknown case number is a permanent error and files nothing', async () => {
      const req = await letter({ caseRef: { caseNumber: '1999/4242' } });
      const error = await client.fileIncoming(req).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveRefusedError);
      expect((error as ArchiveRefusedError).retryable).toBe(false);
      expect(journalpostsFor(req.externalId)).toHaveLength(0);
    });

    it('a private svarSendesTil becomes korrespondansepartperson EA with the national id', async () => {
      const req = await letter({ replyTo: { name: 'Kari Nordmann', nationalId: '01019010046' } });
      await client.fileIncoming(req);
      const [part] = expectFiledOnce(req).korrespondanseparter;
      expect(part).toMatchObject({
        korrespondanseparttype: { kode: 'EA', kodenavn: 'Avsender' },
        navn: 'Kari Nordmann',
        personidentifikator: { foedselsnummer: '01019010046' },
      });
      expect(part).not.toHaveProperty('enhetsidentifikator');
    });

    it('a file the archive refuses is reported with the archive’s own words, and the objects left without it are deleted', async () => {
      const req = await letter();
      // Declared a PDF, but not one: the archive parses uploads (§1.4 point 14).
      req.documents[0]!.content = Buffer.from('%PDF-1.4\n% not really a PDF\n%%EOF\n');
      const error = await client.fileIncoming(req).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveRefusedError);
      const refused = error as ArchiveRefusedError;
      expect(refused.httpStatus).toBe(mode === 'observed' ? 400 : 422);
      expect(refused.serverMessage).toMatch(/PDFParser/);
      expect(refused.message).toContain('situasjonsplan.pdf');
      expect(refused.message).toContain(refused.serverMessage);
      const [jp] = journalpostsFor(req.externalId);
      // The main document is filed; the attachment's dokumentbeskrivelse and dokumentobjekt are gone.
      expect(jp!.dokumentbeskrivelser.map((d) => d.dokumentnummer)).toEqual([1]);
      expect(jp!.dokumentbeskrivelser[0]!.dokumentobjekter[0]!.file).toBeDefined();
      expect(sim.requests.filter((r) => r.kind.startsWith('delete:') && r.status === 204)).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ kind: 'delete:dokumentobjekt' }),
          expect.objectContaining({ kind: 'delete:dokumentbeskrivelse' }),
        ]),
      );
    });

    it('other bytes already stored under the item are a permanent error, decided by checksum', async () => {
      const req = await letter();
      await client.fileIncoming(req);
      const changed = { ...req, documents: req.documents.map((d) => ({ ...d })) };
      changed.documents[1]!.content = await samplePdf('Søknad, en annen');
      const error = await client.fileIncoming(changed).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveRefusedError);
      expect((error as Error).message).toMatch(/checksum differs/);
    });

    it('an error inside a 200 answer is an error, typed by its status (§1.4 point 13)', async () => {
      sim.injectFault({ kind: 'search:dokumentbeskrivelse', status: 400, inBody: true });
      await expect(client.fileIncoming(await letter())).rejects.toSatisfy(
        (e) =>
          e instanceof ArchiveRefusedError && e.httpStatus === 400 && e.serverMessage === 'injected fault',
      );
      sim.injectFault({ kind: 'search:dokumentbeskrivelse', status: 503, inBody: true });
      await expect(client.fileIncoming(await letter())).rejects.toBeInstanceOf(ArchiveUnavailableError);
    });

    it('a 5xx is an ArchiveUnavailableError, and a later call files without a duplicate journalpost', async () => {
      const req = await letter();
      sim.injectFault({ status: 503, count: 2 });
      for (let attempt = 0; attempt < 2; attempt++) {
        const error = await client.fileIncoming(req).catch((e: unknown) => e);
        expect(error).toBeInstanceOf(ArchiveUnavailableError);
        expect(error).toMatchObject({ retryable: true, httpStatus: 503 });
      }
      sim.injectFault({ kind: 'create:journalpost', status: 500, afterCommit: true });
      await expect(client.fileIncoming(req)).rejects.toMatchObject({ retryable: true, httpStatus: 500 });
      const result = await client.fileIncoming(req);
      expect(result.alreadyFiled).toBe(false);
      expect(expectFiledOnce(req).systemID).toBe(result.journalpostId);
    });

    // Every write of the flow, failing before it is performed and after (the answer lost), resumes without duplicates.
    const steps: { kind: string; skip?: number }[] = [
      { kind: 'create:saksmappe' },
      { kind: 'create:journalpost' },
      { kind: 'create:dokumentbeskrivelse' },
      { kind: 'create:dokumentbeskrivelse', skip: 1 },
      { kind: 'create:korrespondansepartenhet' },
      { kind: 'create:dokumentobjekt' },
      { kind: 'create:dokumentobjekt', skip: 1 },
      { kind: 'upload' },
      { kind: 'upload', skip: 1 },
    ];
    for (const afterCommit of [false, true]) {
      for (const { kind, skip } of steps) {
        it(`a retry after ${kind}${skip ? ` #${skip + 1}` : ''} failed ${afterCommit ? 'after committing' : 'before committing'} files exactly once`, async () => {
          const req = await letter();
          sim.injectFault({ kind, skip, status: 503, afterCommit });
          await expect(client.fileIncoming(req)).rejects.toBeInstanceOf(ArchiveUnavailableError);
          const result = await client.fileIncoming(req);
          const jp = expectFiledOnce(req);
          expect(result.journalpostId).toBe(jp.systemID);
          for (const db of jp.dokumentbeskrivelser) {
            const objekt = db.dokumentobjekter[0]!;
            const original = req.documents.find((d) => d.filename === objekt.filnavn)!.content;
            expect(objekt.file?.sha256).toBe(sha256(original));
          }
        });
      }
    }

    it('an archive that answers too slowly is a retryable error; the retry files once', async () => {
      const impatient = new ArchiveClient({
        baseUrl: sim.url,
        ...ARCHIVE_USER,
        ...ARCHIVE_OAUTH_CLIENT,
        timeoutMs: 300,
      });
      const req = await letter();
      sim.injectFault({ kind: 'search:dokumentbeskrivelse', delayMs: 1500 });
      await expect(impatient.fileIncoming(req)).rejects.toBeInstanceOf(ArchiveUnavailableError);
      const result = await impatient.fileIncoming(req);
      expect(expectFiledOnce(req).systemID).toBe(result.journalpostId);
    });

    it('logs in again when the access token has expired', async () => {
      await client.fileIncoming(await letter());
      sim.expireTokens();
      const req = await letter();
      await client.fileIncoming(req);
      expectFiledOnce(req);
      expect(sim.requests.filter((r) => r.kind === 'token').length).toBeGreaterThanOrEqual(2);
    });

    it('rejects a request without exactly one main document before touching the archive', async () => {
      const req = await letter();
      req.documents = req.documents.filter((d) => d.role === 'V');
      const before = sim.requests.length;
      await expect(client.fileIncoming(req)).rejects.toBeInstanceOf(ArchiveRefusedError);
      expect(sim.requests).toHaveLength(before);
    });
  });
}

describe('ArchiveClient against an archive without a code list it needs', () => {
  let sim: ArchiveSimulator;
  let client: ArchiveClient;
  beforeAll(async () => {
    ({ sim, client } = await archiveForTests({ omitCodeLists: ['tilknyttetRegistreringSom'] }));
  });
  afterAll(() => sim.close());

  it('fails loudly, naming the standard’s rel, and never sends a bare {kode} (§1.4 point 11)', async () => {
    const error = await client.fileIncoming(await letter()).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveRefusedError);
    expect((error as Error).message).toContain(
      'https://rel.arkivverket.no/noark5/v5/api/metadata/tilknyttetregistreringsom/',
    );
    expect(sim.requests.filter((r) => r.kind === 'create:dokumentbeskrivelse')).toHaveLength(0);
  });
});
