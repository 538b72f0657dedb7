// The simulator's archive: entities of the Noark 5 structure in memory, the code lists it accepts, and the
// validation rules a real Tjenestegrensesnitt server applies on create (archive-noark5.md §1.2–1.4).
import { randomUUID } from 'node:crypto';

export type Kind =
  | 'arkiv'
  | 'arkivdel'
  | 'saksmappe'
  | 'journalpost'
  | 'korrespondansepartenhet'
  | 'korrespondansepartperson'
  | 'dokumentbeskrivelse'
  | 'dokumentobjekt';

export interface StoredFile {
  content: Buffer;
  contentType: string;
  sha256: string;
}

export interface Entity {
  kind: Kind;
  id: string;
  parentId?: string;
  /** The object's attributes as the server returns them (no `_links`). */
  data: Record<string, unknown>;
  version: number;
  file?: StoredFile;
}

type Code = { kode: string; kodenavn: string };

/** The server's own catalogue. `M` carries one real server's text, which differs from the standard's. */
export const CODE_LISTS: Record<string, Code[]> = {
  journalposttype: [
    { kode: 'I', kodenavn: 'Inngående dokument' },
    { kode: 'U', kodenavn: 'Utgående dokument' },
    { kode: 'N', kodenavn: 'Organinternt dokument for oppfølging' },
    { kode: 'X', kodenavn: 'Organinternt dokument uten oppfølging' },
    { kode: 'S', kodenavn: 'Saksframlegg' },
  ],
  journalstatus: [
    { kode: 'J', kodenavn: 'Journalført' },
    { kode: 'F', kodenavn: 'Ferdigstilt fra saksbehandler' },
    { kode: 'G', kodenavn: 'Godkjent av leder' },
    { kode: 'E', kodenavn: 'Ekspedert' },
    { kode: 'A', kodenavn: 'Arkivert' },
    { kode: 'U', kodenavn: 'Utgår' },
    { kode: 'M', kodenavn: 'Midlertidig registrering av' },
    { kode: 'S', kodenavn: 'Saksbehandler har registrert innholdet (kun forslag)' },
    { kode: 'R', kodenavn: 'Reservert' },
  ],
  korrespondanseparttype: [
    { kode: 'EA', kodenavn: 'Avsender' },
    { kode: 'EM', kodenavn: 'Mottaker' },
    { kode: 'EK', kodenavn: 'Kopimottaker' },
    { kode: 'GM', kodenavn: 'Gruppemottaker' },
    { kode: 'IA', kodenavn: 'Intern avsender' },
    { kode: 'IM', kodenavn: 'Intern mottaker' },
    { kode: 'IK', kodenavn: 'Intern kopimottaker' },
    { kode: 'IS', kodenavn: 'Intern sladdet' },
  ],
  tilknyttetRegistreringSom: [
    { kode: 'H', kodenavn: 'Hoveddokument' },
    { kode: 'V', kodenavn: 'Vedlegg' },
  ],
  dokumenttype: [
    { kode: 'B', kodenavn: 'Brev' },
    { kode: 'R', kodenavn: 'Rundskriv' },
    { kode: 'F', kodenavn: 'Faktura' },
    { kode: 'SK', kodenavn: 'Skjema' },
  ],
  dokumentstatus: [
    { kode: 'B', kodenavn: 'Dokumentet er under redigering' },
    { kode: 'F', kodenavn: 'Dokumentet er ferdigstilt' },
  ],
  variantformat: [
    { kode: 'P', kodenavn: 'Produksjonsformat' },
    { kode: 'A', kodenavn: 'Arkivformat' },
    { kode: 'O', kodenavn: 'Dokument hvor deler av innholdet er skjermet' },
  ],
  saksstatus: [
    { kode: 'B', kodenavn: 'Under behandling' },
    { kode: 'A', kodenavn: 'Avsluttet' },
    { kode: 'U', kodenavn: 'Utgår' },
    { kode: 'R', kodenavn: 'Opprettet av saksbehandler' },
    { kode: 'S', kodenavn: 'Avsluttet av saksbehandler' },
  ],
  dokumentmedium: [
    { kode: 'E', kodenavn: 'Elektronisk arkiv' },
    { kode: 'P', kodenavn: 'Fysisk arkiv' },
  ],
};

/**
 * The rel of a code list: the standard's string, all lower case (§1.4 point 11). The catalogue above is keyed
 * by the JSON field that holds the code, which for `tilknyttetRegistreringSom` is spelled differently.
 */
export function codeListRel(field: string): string {
  return `https://rel.arkivverket.no/noark5/v5/api/metadata/${field.toLowerCase()}/`;
}

/**
 * Lists that reject a code value without `kodenavn` (§1.4 point 3), with the independent server's words: its
 * database column for the name is not nullable (§1.4 point 11).
 */
const KODENAVN_REQUIRED: Record<string, string> = {
  dokumenttype: 'DocumentDescription.documentTypeCodeName',
  tilknyttetRegistreringSom: 'DocumentDescription.associatedWithRecordAsCodeName',
};

export class ValidationError extends Error {}

const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,9})?(Z|[+-]\d{2}:\d{2})$/;

/** A timestamp the way one real server writes it: nanoseconds and an offset. */
export function serverTimestamp(date = new Date()): string {
  return date.toISOString().replace(/\.(\d{3})Z$/, '.$1000000Z');
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

export class ArchiveStore {
  readonly entities = new Map<string, Entity>();
  private caseSeq = new Map<number, number>();
  private journalSeq = new Map<number, number>();

  add(kind: Kind, data: Record<string, unknown>, parentId?: string): Entity {
    const id = randomUUID();
    const now = serverTimestamp();
    const entity: Entity = {
      kind,
      id,
      parentId,
      version: 1,
      data: { systemID: id, opprettetDato: now, opprettetAv: 'admin', ...data },
    };
    this.entities.set(id, entity);
    return entity;
  }

  get(id: string, ...kinds: Kind[]): Entity | undefined {
    const e = this.entities.get(id);
    return e && (kinds.length === 0 || kinds.includes(e.kind)) ? e : undefined;
  }

  children(parentId: string, ...kinds: Kind[]): Entity[] {
    return [...this.entities.values()].filter((e) => e.parentId === parentId && kinds.includes(e.kind));
  }

  hasChildren(id: string): boolean {
    return [...this.entities.values()].some((e) => e.parentId === id);
  }

  remove(id: string): void {
    this.entities.delete(id);
  }

  all(...kinds: Kind[]): Entity[] {
    return [...this.entities.values()].filter((e) => kinds.includes(e.kind));
  }

  /** Checks a code value against the catalogue: `kode` known, `kodenavn` (when given or required) exact. */
  code(list: string, value: unknown, field = list, required = true): Code | undefined {
    if (value === undefined || value === null) {
      if (required) throw new ValidationError(`${field} is required`);
      return undefined;
    }
    const v = value as Partial<Code>;
    const entry = CODE_LISTS[list]!.find((c) => c.kode === v.kode);
    if (!entry) throw new ValidationError(`${field}: unknown kode ${JSON.stringify(v.kode)}`);
    const column = KODENAVN_REQUIRED[list];
    if (v.kodenavn === undefined && column)
      throw new ValidationError(`not-null property references a null or transient value : ${column}`);
    if (v.kodenavn !== undefined && v.kodenavn !== entry.kodenavn)
      throw new ValidationError(
        `${field}: kodenavn ${JSON.stringify(v.kodenavn)} does not match the catalogue`,
      );
    return { kode: entry.kode, kodenavn: entry.kodenavn };
  }

  private dateTime(body: Record<string, unknown>, field: string, required: boolean): string | undefined {
    const value = body[field];
    if (value === undefined || value === null) {
      if (required) throw new ValidationError(`${field} is required`);
      return undefined;
    }
    if (typeof value !== 'string' || !DATE_TIME_WITH_OFFSET.test(value) || Number.isNaN(Date.parse(value)))
      throw new ValidationError(`${field} must be an xs:dateTime with a time zone`);
    return value;
  }

  private title(body: Record<string, unknown>): string {
    const t = str(body.tittel);
    if (!t) throw new ValidationError('tittel is required');
    return t;
  }

  createSaksmappe(arkivdelId: string, body: Record<string, unknown>): Entity {
    const tittel = this.title(body);
    const saksstatus = this.code('saksstatus', body.saksstatus);
    const dokumentmedium = this.code('dokumentmedium', body.dokumentmedium, 'dokumentmedium', false);
    const year = new Date().getFullYear();
    const seq = (this.caseSeq.get(year) ?? 0) + 1;
    this.caseSeq.set(year, seq);
    return this.add(
      'saksmappe',
      {
        mappeID: `${year}/${seq}`,
        tittel,
        ...(str(body.offentligTittel) && { offentligTittel: body.offentligTittel }),
        ...(str(body.beskrivelse) && { beskrivelse: body.beskrivelse }),
        ...(dokumentmedium && { dokumentmedium }),
        saksaar: year,
        sakssekvensnummer: seq,
        saksdato: this.dateTime(body, 'saksdato', false) ?? serverTimestamp(),
        saksstatus,
      },
      arkivdelId,
    );
  }

  createJournalpost(saksmappe: Entity, body: Record<string, unknown>): Entity {
    const tittel = this.title(body);
    const journalposttype = this.code('journalposttype', body.journalposttype);
    const journalstatus = this.code('journalstatus', body.journalstatus);
    const dokumentetsDato = this.dateTime(body, 'dokumentetsDato', false);
    const mottattDato = this.dateTime(body, 'mottattDato', false);
    const year = new Date().getFullYear();
    const seq = (this.journalSeq.get(year) ?? 0) + 1;
    this.journalSeq.set(year, seq);
    const number = this.children(saksmappe.id, 'journalpost').length + 1;
    const { saksaar, sakssekvensnummer } = saksmappe.data as { saksaar: number; sakssekvensnummer: number };
    return this.add(
      'journalpost',
      {
        registreringsID: `${saksaar}/${sakssekvensnummer}-${number}`,
        tittel,
        ...(str(body.offentligTittel) && { offentligTittel: body.offentligTittel }),
        ...(str(body.beskrivelse) && { beskrivelse: body.beskrivelse }),
        journalaar: year,
        journalsekvensnummer: seq,
        journalpostnummer: number,
        journalposttype,
        journalstatus,
        journaldato: serverTimestamp(),
        dokumentetsDato: dokumentetsDato ?? serverTimestamp(),
        mottattDato: mottattDato ?? serverTimestamp(),
      },
      saksmappe.id,
    );
  }

  createKorrespondansepart(
    journalpost: Entity,
    kind: 'korrespondansepartenhet' | 'korrespondansepartperson',
    body: Record<string, unknown>,
  ): Entity {
    const korrespondanseparttype = this.code('korrespondanseparttype', body.korrespondanseparttype);
    const navn = str(body.navn);
    if (!navn) throw new ValidationError('navn is required');
    const data: Record<string, unknown> = { korrespondanseparttype, navn };
    if (kind === 'korrespondansepartenhet' && body.enhetsidentifikator !== undefined) {
      const org = (body.enhetsidentifikator as { organisasjonsnummer?: unknown }).organisasjonsnummer;
      if (typeof org !== 'string' || !/^\d{9}$/.test(org))
        throw new ValidationError('enhetsidentifikator.organisasjonsnummer must be nine digits');
      data.enhetsidentifikator = { organisasjonsnummer: org };
    }
    if (kind === 'korrespondansepartperson' && body.personidentifikator !== undefined) {
      const fnr = (body.personidentifikator as { foedselsnummer?: unknown }).foedselsnummer;
      if (typeof fnr !== 'string' || !/^\d{11}$/.test(fnr))
        throw new ValidationError('personidentifikator.foedselsnummer must be eleven digits');
      data.personidentifikator = { foedselsnummer: fnr };
    }
    if (body.postadresse && typeof body.postadresse === 'object') {
      // Known fields only; others (such as `postnr`) are dropped silently, as one real server does.
      const a = body.postadresse as Record<string, unknown>;
      const known = ['adresselinje1', 'adresselinje2', 'adresselinje3', 'postnummer', 'poststed', 'landkode'];
      data.postadresse = Object.fromEntries(known.filter((k) => str(a[k])).map((k) => [k, a[k]]));
    }
    return this.add(kind, data, journalpost.id);
  }

  createDokumentbeskrivelse(registrering: Entity, body: Record<string, unknown>): Entity {
    const tittel = this.title(body);
    const dokumenttype = this.code('dokumenttype', body.dokumenttype);
    const dokumentstatus = this.code('dokumentstatus', body.dokumentstatus);
    const tilknyttetRegistreringSom = this.code('tilknyttetRegistreringSom', body.tilknyttetRegistreringSom);
    const siblings = this.children(registrering.id, 'dokumentbeskrivelse');
    const dokumentnummer =
      typeof body.dokumentnummer === 'number' && Number.isInteger(body.dokumentnummer)
        ? body.dokumentnummer
        : siblings.length + 1;
    return this.add(
      'dokumentbeskrivelse',
      {
        tittel,
        dokumenttype,
        dokumentstatus,
        tilknyttetRegistreringSom,
        dokumentnummer,
        tilknyttetDato: serverTimestamp(),
        tilknyttetAv: 'admin',
        ...(str(body.eksternReferanse) && { eksternReferanse: body.eksternReferanse }),
      },
      registrering.id,
    );
  }

  createDokumentobjekt(dokumentbeskrivelse: Entity, body: Record<string, unknown>): Entity {
    const versjonsnummer = body.versjonsnummer;
    if (typeof versjonsnummer !== 'number' || !Number.isInteger(versjonsnummer) || versjonsnummer < 1)
      throw new ValidationError('versjonsnummer must be a positive integer');
    const variantformat = this.code('variantformat', body.variantformat);
    const data: Record<string, unknown> = { versjonsnummer, variantformat };
    for (const k of ['filnavn', 'mimeType', 'sjekksum', 'sjekksumAlgoritme'] as const)
      if (str(body[k])) data[k] = body[k];
    if (body.filstoerrelse !== undefined) {
      if (typeof body.filstoerrelse !== 'number' || !Number.isInteger(body.filstoerrelse))
        throw new ValidationError('filstoerrelse must be an integer');
      data.filstoerrelse = body.filstoerrelse;
    }
    if (
      data.sjekksum !== undefined &&
      data.sjekksumAlgoritme !== undefined &&
      data.sjekksumAlgoritme !== 'SHA-256'
    )
      throw new ValidationError('sjekksumAlgoritme: only SHA-256 is supported');
    return this.add('dokumentobjekt', data, dokumentbeskrivelse.id);
  }
}
