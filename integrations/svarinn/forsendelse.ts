// The forsendelse JSON of SvarInn V1 (svarinn-api.md §3), parsed leniently and normalised:
// unknown fields are kept (KS adds fields without notice), non-required fields may be missing or null,
// dates come as epoch ms or ISO strings and leave here as ISO strings, "" and null mean the same,
// and the 0 that SvarUt puts in unset case and journal numbers becomes null.
import { z } from 'zod';

const text = z
  .union([z.string(), z.number()])
  .nullish()
  .transform((v) => (v === null || v === undefined || v === '' ? null : String(v)));

/** A case or journal number: 0, null and missing all mean "not set". */
const number = z
  .union([z.number(), z.string().regex(/^\d+$/)])
  .nullish()
  .transform((v) => (v === null || v === undefined || Number(v) === 0 ? null : Number(v)));

/** Epoch milliseconds (the OAS) or an ISO-8601 string (the KS doc example), as an ISO string. */
const date = z
  .union([z.number(), z.string()])
  .nullish()
  .transform((v, ctx) => {
    if (v === null || v === undefined || v === '') return null;
    const t = typeof v === 'number' || /^\d+$/.test(v) ? new Date(Number(v)) : new Date(v);
    if (Number.isNaN(t.getTime())) {
      ctx.addIssue({ code: 'custom', message: `not a date: ${String(v)}` });
      return z.NEVER;
    }
    return t.toISOString();
  });

const entries = z
  .array(z.looseObject({ key: text, value: text }))
  .nullish()
  .transform((list) =>
    (list ?? []).filter((e) => e.key !== null).map((e) => ({ key: e.key as string, value: e.value })),
  );

const avsender = z.looseObject({
  navn: text,
  adresselinje1: text,
  adresselinje2: text,
  adresselinje3: text,
  postnr: text,
  poststed: text,
});

const address = z.looseObject({
  navn: text,
  adresse1: text,
  adresse2: text,
  adresse3: text,
  postnr: text,
  poststed: text,
  land: text,
  orgnr: text,
  fnr: text,
});

const filmetadata = z.looseObject({
  filnavn: z.string().min(1),
  mimetype: text,
  // Not checked for shape here: a malformed hash fails the checksum check on download, where it can be
  // reported for the item, instead of hiding the item from the list. Older SvarInn versions send none.
  sha256hash: z
    .string()
    .nullish()
    .transform((h) => (h && h.trim() ? h.trim().toLowerCase() : null)),
  size: z.number().int().nonnegative().nullish(),
  dokumentType: text,
  ekstraMetadata: entries,
});

const metadataFraAvleverendeSystem = z.looseObject({
  sakssekvensnummer: number,
  saksaar: number,
  journalaar: number,
  journalsekvensnummer: number,
  journalpostnummer: number,
  journalposttype: text,
  journalstatus: text,
  journaldato: date,
  dokumentetsDato: date,
  tittel: text,
  saksBehandler: text,
  ekstraMetadata: entries,
});

const metadataForImport = z.looseObject({
  sakssekvensnummer: number,
  saksaar: number,
  journalposttype: text,
  journalstatus: text,
  dokumentetsDato: date,
  tittel: text,
});

const lenke = z.looseObject({ urlLenke: z.string(), urlTekst: text, ledetekst: text });

export const forsendelseSchema = z.looseObject({
  id: z.string().min(1),
  tittel: z.string(),
  date,
  avsender: avsender.nullish(),
  // The receiving organisation number is what SvarInn routes by: an item without one cannot be placed.
  mottaker: address.extend({ orgnr: z.union([z.string().min(1), z.number()]).transform(String) }),
  svarSendesTil: address.nullish(),
  svarPaForsendelse: text,
  forsendelseType: text,
  eksternRef: text,
  korrelasjonsid: text,
  metadataFraAvleverendeSystem: metadataFraAvleverendeSystem.nullish(),
  metadataForImport: metadataForImport.nullish(),
  status: text,
  niva: text,
  filmetadata: z.array(filmetadata),
  lenker: z.array(lenke).nullish(),
  downloadUrl: z.string().url(),
  avgivendeSystem: text,
  avgivendeSystemAktor: text,
  taushetsbelagtPost: z.boolean().nullish(),
});

type Text = string | null;
export interface SvarInnEntry {
  key: string;
  value: Text;
}
export interface SvarInnAvsender {
  navn: Text;
  adresselinje1: Text;
  adresselinje2: Text;
  adresselinje3: Text;
  postnr: Text;
  poststed: Text;
}
export interface SvarInnAddress {
  navn: Text;
  adresse1: Text;
  adresse2: Text;
  adresse3: Text;
  postnr: Text;
  poststed: Text;
  land: Text;
  orgnr: Text;
  fnr: Text;
}
export interface FilMetadata {
  filnavn: string;
  mimetype: Text;
  /** Lowercase hex SHA-256 of the plaintext file; null when the listing has none (older SvarInn). */
  sha256hash: string | null;
  /** Bytes; null when SvarUt sent 0 ("unknown") or nothing. */
  size: number | null;
  dokumentType: Text;
  ekstraMetadata: SvarInnEntry[];
}
export interface MetadataFraAvleverendeSystem {
  sakssekvensnummer: number | null;
  saksaar: number | null;
  journalaar: number | null;
  journalsekvensnummer: number | null;
  journalpostnummer: number | null;
  journalposttype: Text;
  journalstatus: Text;
  /** ISO-8601. */
  journaldato: Text;
  /** ISO-8601. */
  dokumentetsDato: Text;
  tittel: Text;
  saksBehandler: Text;
  ekstraMetadata: SvarInnEntry[];
}
export interface MetadataForImport {
  sakssekvensnummer: number | null;
  saksaar: number | null;
  journalposttype: Text;
  journalstatus: Text;
  /** ISO-8601. */
  dokumentetsDato: Text;
  tittel: Text;
}

/** One forsendelse waiting in SvarInn, normalised. `raw` is the JSON object exactly as received. */
export interface Forsendelse {
  id: string;
  tittel: string;
  /** When SvarUt received it, ISO-8601 (SvarInn sends epoch ms). */
  date: Text;
  avsender: SvarInnAvsender | null;
  /** The receiving organisation; `orgnr` is the organisation number the item was routed by. */
  mottaker: SvarInnAddress & { orgnr: string };
  svarSendesTil: SvarInnAddress | null;
  svarPaForsendelse: Text;
  forsendelseType: Text;
  eksternRef: Text;
  korrelasjonsid: Text;
  metadataFraAvleverendeSystem: MetadataFraAvleverendeSystem | null;
  metadataForImport: MetadataForImport | null;
  /** SvarUt's display name, e.g. "Klar for mottak". Informational only. */
  status: Text;
  /** Security level, "3" or "4". */
  niva: Text;
  filmetadata: FilMetadata[];
  lenker: { urlLenke: string; urlTekst: Text; ledetekst: Text }[];
  downloadUrl: string;
  avgivendeSystem: Text;
  avgivendeSystemAktor: Text;
  taushetsbelagtPost: boolean | null;
  raw: unknown;
}

const pick = <T extends object, K extends keyof T>(o: T, keys: readonly K[]): Pick<T, K> =>
  Object.fromEntries(keys.map((k) => [k, o[k]])) as Pick<T, K>;

const ADDRESS_KEYS = [
  'navn',
  'adresse1',
  'adresse2',
  'adresse3',
  'postnr',
  'poststed',
  'land',
  'orgnr',
  'fnr',
] as const;
const AVSENDER_KEYS = [
  'navn',
  'adresselinje1',
  'adresselinje2',
  'adresselinje3',
  'postnr',
  'poststed',
] as const;
const FRA_KEYS = [
  'sakssekvensnummer',
  'saksaar',
  'journalaar',
  'journalsekvensnummer',
  'journalpostnummer',
  'journalposttype',
  'journalstatus',
  'journaldato',
  'dokumentetsDato',
  'tittel',
  'saksBehandler',
  'ekstraMetadata',
] as const;
const IMPORT_KEYS = [
  'sakssekvensnummer',
  'saksaar',
  'journalposttype',
  'journalstatus',
  'dokumentetsDato',
  'tittel',
] as const;

export type ParsedForsendelse =
  { ok: true; forsendelse: Forsendelse } | { ok: false; id?: string; problem: string; raw: unknown };

/** Parses one element of the hentNyeForsendelser array. Unknown fields are allowed; known fields are checked. */
export function parseForsendelse(raw: unknown): ParsedForsendelse {
  const r = forsendelseSchema.safeParse(raw);
  if (!r.success) {
    const id =
      typeof raw === 'object' && raw !== null && 'id' in raw && typeof raw.id === 'string'
        ? raw.id
        : undefined;
    const problem = r.error.issues.map((i) => `${i.path.join('.') || '(item)'}: ${i.message}`).join('; ');
    return { ok: false, ...(id ? { id } : {}), problem, raw };
  }
  const f = r.data;
  return {
    ok: true,
    forsendelse: {
      id: f.id,
      tittel: f.tittel,
      date: f.date,
      avsender: f.avsender ? pick(f.avsender, AVSENDER_KEYS) : null,
      mottaker: pick(f.mottaker, ADDRESS_KEYS),
      svarSendesTil: f.svarSendesTil ? pick(f.svarSendesTil, ADDRESS_KEYS) : null,
      svarPaForsendelse: f.svarPaForsendelse,
      forsendelseType: f.forsendelseType,
      eksternRef: f.eksternRef,
      korrelasjonsid: f.korrelasjonsid,
      metadataFraAvleverendeSystem: f.metadataFraAvleverendeSystem
        ? pick(f.metadataFraAvleverendeSystem, FRA_KEYS)
        : null,
      metadataForImport: f.metadataForImport ? pick(f.metadataForImport, IMPORT_KEYS) : null,
      status: f.status,
      niva: f.niva,
      filmetadata: f.filmetadata.map((m) => ({
        filnavn: m.filnavn,
        mimetype: m.mimetype,
        sha256hash: m.sha256hash,
        size: m.size ? m.size : null,
        dokumentType: m.dokumentType,
        ekstraMetadata: m.ekstraMetadata,
      })),
      lenker: (f.lenker ?? []).map((l) => ({
        urlLenke: l.urlLenke,
        urlTekst: l.urlTekst,
        ledetekst: l.ledetekst,
      })),
      downloadUrl: f.downloadUrl,
      avgivendeSystem: f.avgivendeSystem,
      avgivendeSystemAktor: f.avgivendeSystemAktor,
      taushetsbelagtPost: f.taushetsbelagtPost ?? null,
      raw,
    },
  };
}
