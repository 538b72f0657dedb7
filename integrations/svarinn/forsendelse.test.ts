// Lenient parsing of the V1 forsendelse JSON: the shapes and quirks of svarinn-api.md §3.
import { describe, expect, it } from 'vitest';
import { parseForsendelse, type Forsendelse } from './forsendelse';

/** The full V1 example of svarinn-api.md §3.1 (a composite of real shapes). */
const example = () => ({
  id: '81264cfa-1ba5-4fb5-a95d-48c824ed3bbb',
  tittel: 'Søknad om skjenkebevilling',
  date: 1553183240681,
  avsender: {
    navn: 'Storevik kommune',
    adresselinje1: 'Postboks 123',
    adresselinje2: '',
    adresselinje3: '',
    postnr: '0151',
    poststed: 'Oslo',
  },
  mottaker: {
    navn: 'Sømådalen og Bessaker Revisjon',
    adresse1: null,
    adresse2: null,
    adresse3: null,
    postnr: '0192',
    poststed: 'Oslo',
    land: 'Norge',
    orgnr: '910077473',
    fnr: null,
  },
  svarSendesTil: {
    navn: 'Kontoret for voldsoffererstatning',
    adresse1: 'Pb 253',
    adresse2: null,
    adresse3: null,
    postnr: '9951',
    poststed: 'VARDØ',
    land: '',
    orgnr: '910229028',
    fnr: null,
  },
  svarPaForsendelse: null,
  forsendelseType: null,
  eksternRef: 'bb8323b9-1023-4046-b620-63c4f9120c56',
  korrelasjonsid: null,
  metadataFraAvleverendeSystem: {
    sakssekvensnummer: 1,
    saksaar: 2016,
    journalaar: 2016,
    journalsekvensnummer: 25,
    journalpostnummer: 13,
    journalposttype: 'U',
    journalstatus: 'F',
    journaldato: 1458514800000,
    dokumentetsDato: 1458514800000,
    tittel: 'Søknad om skjenkebevilling',
    saksBehandler: null,
    ekstraMetadata: [{ key: 'versjon', value: '4' }],
  },
  metadataForImport: {
    sakssekvensnummer: 0,
    saksaar: 0,
    journalposttype: null,
    journalstatus: null,
    dokumentetsDato: null,
    tittel: null,
  },
  status: 'Klar for mottak',
  niva: '3',
  taushetsbelagtPost: false,
  avgivendeSystem: 'EDIALOG',
  avgivendeSystemAktor: null,
  filmetadata: [
    {
      filnavn: 'primary.pdf',
      mimetype: 'application/pdf',
      sha256hash: '7A936ED5F396E6D73F0F33DE991BE54AB34987032C44A2C14613F03A33BEB035',
      dokumentType: 'H',
      size: 77,
      ekstraMetadata: [],
    },
    {
      filnavn: 'vedlegg.txt',
      mimetype: 'text/plain',
      sha256hash: 'c0ffee',
      dokumentType: null,
      size: 0,
    },
  ],
  lenker: [{ ledetekst: 'Les mer', urlLenke: 'https://example.no', urlTekst: 'Example' }],
  downloadUrl: 'https://svarut.ks.no/tjenester/svarinn/forsendelse/81264cfa-1ba5-4fb5-a95d-48c824ed3bbb',
});

function parsed(raw: unknown): Forsendelse {
  const r = parseForsendelse(raw);
  if (!r.ok) throw new Error(`rejected: ${r.problem}`);
  return r.forsendelse;
}

describe('parseForsendelse', () => {
  it('normalises the full V1 example', () => {
    const f = parsed(example());
    expect(f.id).toBe('81264cfa-1ba5-4fb5-a95d-48c824ed3bbb');
    expect(f.date).toBe(new Date(1553183240681).toISOString());
    expect(f.avsender).toMatchObject({
      navn: 'Storevik kommune',
      adresselinje1: 'Postboks 123',
      adresselinje2: null,
    });
    expect(f.mottaker.orgnr).toBe('910077473');
    expect(f.svarSendesTil).toMatchObject({ orgnr: '910229028', land: null });
    expect(f.metadataFraAvleverendeSystem).toMatchObject({
      saksaar: 2016,
      sakssekvensnummer: 1,
      journalpostnummer: 13,
      journaldato: '2016-03-20T23:00:00.000Z',
      ekstraMetadata: [{ key: 'versjon', value: '4' }],
    });
    // 0 means "not set" in SvarUt's numbers.
    expect(f.metadataForImport).toEqual({
      sakssekvensnummer: null,
      saksaar: null,
      journalposttype: null,
      journalstatus: null,
      dokumentetsDato: null,
      tittel: null,
    });
    expect(f.filmetadata[0]).toMatchObject({
      sha256hash: '7a936ed5f396e6d73f0f33de991be54ab34987032c44a2c14613f03a33beb035',
      size: 77,
      dokumentType: 'H',
    });
    expect(f.filmetadata[1]).toMatchObject({ size: null, ekstraMetadata: [] });
    expect(f.lenker).toEqual([{ urlLenke: 'https://example.no', urlTekst: 'Example', ledetekst: 'Les mer' }]);
    expect(f.niva).toBe('3');
    expect(f.raw).toEqual(example());
  });

  it('allows unknown fields anywhere and keeps them in raw', () => {
    const raw = example() as Record<string, unknown> & ReturnType<typeof example>;
    raw.nyttFelt = { a: 1 };
    (raw.mottaker as Record<string, unknown>).kontakt = 'x';
    (raw.filmetadata[0] as Record<string, unknown>).sideantall = 3;
    const f = parsed(raw);
    expect(f.id).toBe(raw.id);
    expect((f.raw as Record<string, unknown>).nyttFelt).toEqual({ a: 1 });
    expect(Object.keys(f.mottaker)).not.toContain('kontakt');
  });

  it('accepts null journal numbers, ISO dokumentetsDato and {key:null,value:null} entries', () => {
    const raw = example();
    Object.assign(raw.metadataFraAvleverendeSystem, {
      journalaar: null,
      journalsekvensnummer: null,
      journalpostnummer: null,
      dokumentetsDato: '2014-10-21T09:30:13.310+02:00',
      ekstraMetadata: [{ key: null, value: null }],
    });
    Object.assign(raw.metadataForImport, {
      sakssekvensnummer: 7,
      saksaar: 2024,
      dokumentetsDato: '2014-10-21T09:30:13.310+02:00',
    });
    const f = parsed(raw);
    expect(f.metadataFraAvleverendeSystem).toMatchObject({
      journalaar: null,
      journalsekvensnummer: null,
      journalpostnummer: null,
      dokumentetsDato: '2014-10-21T07:30:13.310Z',
      ekstraMetadata: [],
    });
    expect(f.metadataForImport).toMatchObject({
      sakssekvensnummer: 7,
      saksaar: 2024,
      dokumentetsDato: '2014-10-21T07:30:13.310Z',
    });
  });

  it('accepts an ISO date and missing non-required fields', () => {
    const minimal = {
      id: 'a1b2c3d4-0000-0000-0000-000000000000',
      tittel: 'Brev',
      date: '2026-01-02T03:04:05Z',
      mottaker: { navn: 'Kommune', orgnr: '910077473' },
      filmetadata: [],
      downloadUrl: 'https://svarut.ks.no/tjenester/svarinn/forsendelse/a1b2c3d4-0000-0000-0000-000000000000',
    };
    const f = parsed(minimal);
    expect(f.date).toBe('2026-01-02T03:04:05.000Z');
    expect(f.avsender).toBeNull();
    expect(f.metadataForImport).toBeNull();
    expect(f.status).toBeNull();
    expect(f.lenker).toEqual([]);
    expect(f.taushetsbelagtPost).toBeNull();
  });

  it('rejects an element without the fields it cannot be handled without, naming the problem and the id', () => {
    const noUrl: Record<string, unknown> = example();
    delete noUrl.downloadUrl;
    const r = parseForsendelse(noUrl);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.id).toBe('81264cfa-1ba5-4fb5-a95d-48c824ed3bbb');
    expect(r.problem).toMatch(/downloadUrl/);

    const noOrgnr = parseForsendelse({ ...example(), mottaker: { navn: 'Kommune', orgnr: null } });
    expect(noOrgnr).toMatchObject({ ok: false, problem: expect.stringMatching(/mottaker\.orgnr/) });

    const badDate = parseForsendelse({ ...example(), date: 'yesterday' });
    expect(badDate.ok).toBe(false);
    expect(parseForsendelse('not an object').ok).toBe(false);
  });
});
