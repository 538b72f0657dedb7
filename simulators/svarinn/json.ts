// The V1 JSON of one forsendelse (svarinn-api.md §3), with the shapes a test can ask for: unknown fields,
// null journal numbers, ISO dates, no sha256hash.
import type { Item, ListShape } from './state';

/** The V1 JSON of one item as `hentNyeForsendelser` lists it, in the list shape a test chose. */
export function toJson(item: Item, shape: ListShape, downloadUrl: string) {
  const date = (ms: number | null | undefined) =>
    ms === null || ms === undefined ? null : shape.dates === 'iso' ? new Date(ms).toISOString() : ms;
  const extra = shape.unknownFields ? { nyttFeltFraKs: { innfort: '2026', verdi: [1, 2] } } : {};
  const fra = {
    sakssekvensnummer: 0,
    saksaar: 0,
    journalaar: 0,
    journalsekvensnummer: 0,
    journalpostnummer: 0,
    journalposttype: null,
    journalstatus: null,
    journaldato: null,
    dokumentetsDato: null,
    tittel: null,
    saksBehandler: null,
    ekstraMetadata: [],
    ...item.input.metadataFraAvleverendeSystem,
  };
  for (const key of ['journaldato', 'dokumentetsDato'] as const)
    if (typeof fra[key] === 'number') (fra as Record<string, unknown>)[key] = date(fra[key] as number);
  if (shape.nullJournalNumbers)
    Object.assign(fra, { journalaar: null, journalsekvensnummer: null, journalpostnummer: null });
  const forImport = {
    sakssekvensnummer: 0,
    saksaar: 0,
    journalposttype: null,
    journalstatus: null,
    dokumentetsDato: null,
    tittel: null,
    ...item.input.metadataForImport,
  };
  if (typeof forImport.dokumentetsDato === 'number')
    (forImport as Record<string, unknown>).dokumentetsDato = date(forImport.dokumentetsDato as number);
  return {
    id: item.id,
    tittel: item.input.tittel,
    date: date(item.date),
    avsender: item.input.avsender ?? {
      navn: 'Storevik kommune',
      adresselinje1: 'Postboks 123',
      adresselinje2: '',
      adresselinje3: '',
      postnr: '0151',
      poststed: 'Oslo',
    },
    mottaker: {
      navn: item.input.mottakerNavn ?? `Organisasjon ${item.input.orgnr}`,
      adresse1: null,
      adresse2: null,
      adresse3: null,
      postnr: null,
      poststed: null,
      land: '',
      orgnr: item.input.orgnr,
      fnr: null,
      ...(shape.unknownFields ? { kontaktinformasjon: null } : {}),
    },
    svarSendesTil: item.input.svarSendesTil ?? null,
    svarPaForsendelse: null,
    forsendelseType: item.input.forsendelseType ?? null,
    eksternRef: null,
    korrelasjonsid: null,
    metadataFraAvleverendeSystem: fra,
    metadataForImport: forImport,
    status: 'Klar for mottak',
    niva: item.input.niva ?? '3',
    taushetsbelagtPost: false,
    avgivendeSystem: null,
    avgivendeSystemAktor: null,
    filmetadata: item.files.map((f) => ({
      filnavn: f.filnavn,
      mimetype: f.mimetype,
      ...(shape.withoutSha256hash ? {} : { sha256hash: f.sha256hash }),
      dokumentType: f.dokumentType,
      size: f.size,
      ekstraMetadata: [],
      ...(shape.unknownFields ? { sideantall: 1 } : {}),
    })),
    lenker: [],
    downloadUrl,
    ...item.input.fields,
    ...extra,
  };
}
