// Contract tests: the archive client against the Noark 5 simulator, which implements the protocol on its own.
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { ARCHIVE_OAUTH_CLIENT, ARCHIVE_USER, archiveForTests } from '../../test/support/archive';
import { ArchiveClient, ArchiveError, type FileIncomingRequest } from './client';

const { sim, client } = await archiveForTests();
afterAll(() => sim.close());
beforeEach(() => sim.clearFaults());

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function letter(overrides: Partial<FileIncomingRequest> = {}): FileIncomingRequest {
  return {
    externalId: randomUUID(),
    title: `Søknad om ferdigattest – Storgata ${randomBytes(2).readUInt16BE()}`,
    receivedAt: '2026-03-03T09:15:00+01:00',
    documentDate: '2026-03-02',
    sender: {
      name: 'Eksempel Bygg AS',
      orgNumber: '999888777',
      address: { lines: ['Postboks 1'], postalCode: '0101', city: 'Oslo' },
    },
    documents: [
      { filename: 'situasjonsplan.pdf', mimeType: 'application/pdf', content: randomBytes(3000), role: 'V' },
      { filename: 'soknad.pdf', mimeType: 'application/pdf', content: randomBytes(5000), role: 'H' },
    ],
    ...overrides,
  };
}

const journalpostsFor = (externalId: string) =>
  sim.journalposts().filter((jp) => jp.beskrivelse === `SvarInn forsendelse ${externalId}`);

/** The filing is complete and single: one case, one journalpost, one sender, every document once with its bytes. */
function expectFiledOnce(req: FileIncomingRequest) {
  const jps = journalpostsFor(req.externalId);
  expect(jps).toHaveLength(1);
  const jp = jps[0]!;
  expect(sim.saksmapper().filter((s) => s.systemID === jp.saksmappe.systemID)).toHaveLength(1);
  expect(jp.korrespondanseparter).toHaveLength(1);
  expect(jp.dokumentbeskrivelser).toHaveLength(req.documents.length);
  for (const db of jp.dokumentbeskrivelser) {
    expect(db.eksternReferanse).toBe(req.externalId);
    expect(db.dokumentobjekter).toHaveLength(1);
    expect(db.dokumentobjekter[0]!.file).toBeDefined();
  }
  return jp;
}

describe('ArchiveClient against the Noark 5 simulator', () => {
  it('files an incoming letter: type I, sender EA, H and V documents whose stored bytes equal the originals', async () => {
    const req = letter();
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
    expect(sender.postadresse).toEqual({ adresselinje1: 'Postboks 1', postnummer: '0101', poststed: 'Oslo' });

    const [main, attachment] = jp.dokumentbeskrivelser;
    expect(main).toMatchObject({
      dokumentnummer: 1,
      tilknyttetRegistreringSom: { kode: 'H' },
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

  it('a second call for the same SvarInn id files nothing and returns the same journalpost', async () => {
    const req = letter();
    const first = await client.fileIncoming(req);
    const before = sim.requests.filter((r) => r.kind.startsWith('create:') || r.kind === 'upload').length;
    const second = await client.fileIncoming(req);
    expect(second).toEqual({ ...first, alreadyFiled: true });
    expect(sim.requests.filter((r) => r.kind.startsWith('create:') || r.kind === 'upload')).toHaveLength(
      before,
    );
    expectFiledOnce(req);
  });

  it('files into an existing case found by case number or by systemID', async () => {
    const existing = sim.addSaksmappe('Byggesak Storgata 1');
    const byNumber = await client.fileIncoming(letter({ caseRef: { caseNumber: existing.mappeID } }));
    const byId = await client.fileIncoming(letter({ caseRef: { caseId: existing.systemID } }));
    expect(byNumber).toMatchObject({ caseId: existing.systemID, caseNumber: existing.mappeID });
    expect(byId).toMatchObject({ caseId: existing.systemID, caseNumber: existing.mappeID });
    expect(byNumber.journalpostId).not.toBe(byId.journalpostId);
    expect(sim.saksmapper().find((s) => s.systemID === existing.systemID)?.journalposter).toBe(2);
  });

  it('an unknown case number is a permanent error and files nothing', async () => {
    const req = letter({ caseRef: { caseNumber: '1999/4242' } });
    const error = await client.fileIncoming(req).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ArchiveError);
    expect((error as ArchiveError).retryable).toBe(false);
    expect(journalpostsFor(req.externalId)).toHaveLength(0);
  });

  it('a private sender becomes korrespondansepartperson EA with the national id', async () => {
    const req = letter({ sender: { name: 'Kari Nordmann', nationalId: '01019010046' } });
    await client.fileIncoming(req);
    const [part] = expectFiledOnce(req).korrespondanseparter;
    expect(part).toMatchObject({
      korrespondanseparttype: { kode: 'EA', kodenavn: 'Avsender' },
      navn: 'Kari Nordmann',
      personidentifikator: { foedselsnummer: '01019010046' },
    });
    expect(part).not.toHaveProperty('enhetsidentifikator');
  });

  it('a 5xx is a retryable ArchiveError, and a later call files without a duplicate journalpost', async () => {
    const req = letter();
    sim.injectFault({ status: 503, count: 2 });
    for (let attempt = 0; attempt < 2; attempt++) {
      const error = await client.fileIncoming(req).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(ArchiveError);
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
        const req = letter();
        sim.injectFault({ kind, skip, status: 503, afterCommit });
        await expect(client.fileIncoming(req)).rejects.toMatchObject({ retryable: true, httpStatus: 503 });
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
    const req = letter();
    sim.injectFault({ kind: 'search:dokumentbeskrivelse', delayMs: 1500 });
    await expect(impatient.fileIncoming(req)).rejects.toMatchObject({ retryable: true });
    const result = await impatient.fileIncoming(req);
    expect(expectFiledOnce(req).systemID).toBe(result.journalpostId);
  });

  it('logs in again when the access token has expired', async () => {
    await client.fileIncoming(letter());
    sim.expireTokens();
    const req = letter();
    await client.fileIncoming(req);
    expectFiledOnce(req);
    expect(sim.requests.filter((r) => r.kind === 'token').length).toBeGreaterThanOrEqual(2);
  });

  it('rejects a request without exactly one main document before touching the archive', async () => {
    const req = letter();
    req.documents = req.documents.filter((d) => d.role === 'V');
    const before = sim.requests.length;
    await expect(client.fileIncoming(req)).rejects.toMatchObject({ retryable: false });
    expect(sim.requests).toHaveLength(before);
  });
});
