// Files an incoming SvarInn letter into a Noark 5 archive through the Tjenestegrensesnitt, navigating only
// by link relations from the service root (archive-noark5.md §1.2–1.4), and reads it back.
//
// Idempotency: every step looks for its object before creating it, so a retry after a failure or a lost
// response at any step resumes where the earlier attempt stopped:
//   1. dokumentbeskrivelse.eksternReferanse = `svarinn:<id>` (prefixed: a bare UUID breaks the search on one
//      server, §1.4 point 13), searched with $filter (§1.4 point 8); each hit's `…/registrering/` link is
//      followed (it may answer a list, §1.4 point 12) and the journalpost is known by its systemID;
//   2. the journalpost (and a case this client creates) also carries `beskrivelse` "SvarInn forsendelse
//      <id>", searched with $filter, which covers a stop between creating the journalpost and its first
//      dokumentbeskrivelse;
//   3. dokumentbeskrivelser are matched by eksternReferanse + dokumentnummer, korrespondanseparter by type EA
//      + navn, the dokumentobjekt by versjonsnummer 1, and a file counts as stored only when the archive serves
//      bytes with the expected SHA-256 (§1.4 point 16).
// A file the archive refuses is reported with the archive's own words, and the dokumentobjekt and
// dokumentbeskrivelse left without it are deleted (§1.3, §1.4 point 15).
import { createHash } from 'node:crypto';
import {
  ArchiveRefusedError,
  codeListRel,
  hasLink,
  linkOf,
  NoarkHttp,
  odataString,
  rel,
  withFilter,
  type CodeListField,
  type Credentials,
  type NoarkObject,
} from './http';

export { ArchiveError, ArchiveRefusedError, ArchiveUnavailableError } from './http';

/** How the client marks its external key, so that it is never read as a UUID by the server (§1.4 point 13). */
export const EXTERNAL_KEY_PREFIX = 'svarinn:';

export interface Address {
  lines: string[];
  postalCode?: string;
  city?: string;
}

export interface FileIncomingRequest {
  /** The SvarInn forsendelse id: a retry must never file twice. */
  externalId: string;
  /** Find (caseId = systemID, caseNumber = mappeID such as "2026/12") or create (title) the saksmappe. */
  caseRef?: { caseId?: string; caseNumber?: string; title?: string };
  title: string;
  /** ISO 8601 with a time zone. */
  receivedAt: string;
  /** ISO date or date-time; defaults to receivedAt. */
  documentDate?: string;
  /**
   * The sending organisation as SvarUt names it (forsendelse `avsender`): a name and an address, and no
   * number, because SvarUt gives it none (§1.4 point 17).
   */
  sender?: { name: string; address?: Address };
  /**
   * Where replies go (forsendelse `svarSendesTil`), with its own organisation number or national id. It may be
   * another party than `sender`: it is recorded as a whole, never mixed with `sender` (§1.4 point 17).
   */
  replyTo?: { name: string; orgNumber?: string; nationalId?: string; address?: Address };
  /** `H` main document (exactly one), `V` attachments. */
  documents: { filename: string; mimeType: string; content: Buffer; role: 'H' | 'V' }[];
}

export interface FiledResult {
  caseId: string;
  caseNumber?: string;
  journalpostId: string;
  /** The journal number, journalaar/journalsekvensnummer (registreringsID when the server gives no year/sequence). */
  journalpostNumber: string;
  /** True when an earlier call had completed this filing and this call created nothing. */
  alreadyFiled: boolean;
}

export interface FiledDocument {
  dokumentnummer: number;
  role: string;
  filename: string;
  mimeType: string;
  content: Buffer;
}

export interface ArchiveClientOptions extends Credentials {
  /** The service root (e.g. https://n5.example.com/api/); every other URL is found through links. */
  baseUrl: string;
  /** journalstatus for new journalposts; `M` (midlertidig registrering) unless the archive wants another. */
  journalstatus?: string;
  /** Per request, the body included (default 60 s); an archive that does not answer in time is retryable. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type Code = { kode: string; kodenavn?: string };
type Document = FileIncomingRequest['documents'][number];
type Party = { name: string; orgNumber?: string; nationalId?: string; address?: Address };

const OSLO_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', timeZoneName: 'longOffset' });
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
/** Where a file is missing, the standard answers 404 and one server 400 "Could not read file: null". */
const NO_FILE_STATUS = new Set([400, 404, 410]);

/** A full xs:dateTime with an offset (§1.4 point 4); a date alone means midnight in Norway. */
function dateTime(value: string, field: string): string {
  if (DATE_ONLY.test(value)) {
    const zone = OSLO_OFFSET.formatToParts(new Date(`${value}T00:00:00Z`)).find(
      (p) => p.type === 'timeZoneName',
    );
    const offset = zone?.value.replace('GMT', '') ?? '';
    return `${value}T00:00:00${offset || 'Z'}`;
  }
  if (DATE_TIME_WITH_OFFSET.test(value) && !Number.isNaN(Date.parse(value))) return value;
  throw new ArchiveRefusedError(`${field} must be an ISO date, or a date-time with a time zone`);
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

const sameName = (a: string, b: string) =>
  a.trim().replace(/\s+/g, ' ').toLowerCase() === b.trim().replace(/\s+/g, ' ').toLowerCase();

/**
 * The korrespondanseparter (type EA) for an incoming item (§1.4 point 17): `svarSendesTil` as a whole, with
 * its number, as KS's own importer records it; and `avsender`, with its name and address and no number, when
 * it is another party. One party's name never travels with another's number.
 */
function sendersOf(req: FileIncomingRequest): Party[] {
  const parties: Party[] = [];
  if (req.sender && !(req.replyTo && sameName(req.sender.name, req.replyTo.name)))
    parties.push({ name: req.sender.name, ...(req.sender.address && { address: req.sender.address }) });
  if (req.replyTo) parties.push(req.replyTo);
  return parties;
}

export class ArchiveClient {
  private readonly http: NoarkHttp;
  private readonly codeLists = new Map<CodeListField, Code[]>();
  private metadata?: NoarkObject | null;
  private sections?: { arkivstruktur: NoarkObject; sakarkiv: NoarkObject; root: NoarkObject };

  constructor(private readonly opts: ArchiveClientOptions) {
    this.http = new NoarkHttp(opts.baseUrl, opts, opts.fetch, opts.timeoutMs);
  }

  async fileIncoming(req: FileIncomingRequest): Promise<FiledResult> {
    const documents = this.validate(req);
    const marker = `SvarInn forsendelse ${req.externalId}`;
    const key = EXTERNAL_KEY_PREFIX + req.externalId;
    let changed = false;

    let journalpost = await this.findFiled(req.externalId);
    let saksmappe: NoarkObject;
    if (journalpost) {
      saksmappe = await this.one(
        linkOf(journalpost, hasLink(journalpost, rel.saksmappe) ? rel.saksmappe : rel.mappe),
        'the case of the journalpost',
      );
    } else {
      const found = await this.resolveCase(req, marker);
      saksmappe = found.saksmappe;
      changed ||= found.created;
      journalpost = await this.create(saksmappe, rel.nyJournalpost, async (t) => ({
        tittel: req.title,
        beskrivelse: marker,
        journalposttype: await this.code('journalposttype', 'I', t),
        journalstatus: await this.code('journalstatus', this.opts.journalstatus ?? 'M', t),
        dokumentetsDato: dateTime(req.documentDate ?? req.receivedAt, 'documentDate'),
        mottattDato: dateTime(req.receivedAt, 'receivedAt'),
      }));
      changed = true;
    }

    // The documents first: the main one carries the external key that step 1 finds.
    const existing = await this.http.list(linkOf(journalpost, rel.dokumentbeskrivelse));
    const beskrivelser: NoarkObject[] = [];
    for (const [i, doc] of documents.entries()) {
      const found = existing.find((d) => this.isOurs(d, req.externalId) && d.dokumentnummer === i + 1);
      if (found) beskrivelser.push(found);
      else {
        beskrivelser.push(await this.createDokumentbeskrivelse(journalpost, req, doc, i + 1, key));
        changed = true;
      }
    }
    if (await this.ensureSenders(journalpost, sendersOf(req))) changed = true;
    for (const [i, doc] of documents.entries()) {
      if (await this.ensureFile(beskrivelser[i]!, doc)) changed = true;
    }

    const caseNumber =
      typeof saksmappe.mappeID === 'string'
        ? saksmappe.mappeID
        : saksmappe.saksaar !== undefined && saksmappe.sakssekvensnummer !== undefined
          ? `${String(saksmappe.saksaar)}/${String(saksmappe.sakssekvensnummer)}`
          : undefined;
    return {
      caseId: String(saksmappe.systemID),
      ...(caseNumber !== undefined && { caseNumber }),
      journalpostId: String(journalpost.systemID),
      journalpostNumber: this.journalpostNumber(journalpost),
      alreadyFiled: !changed,
    };
  }

  /** The documents filed for a SvarInn item, their bytes read back from the archive (any media type accepted). */
  async readFiled(externalId: string): Promise<FiledDocument[]> {
    const journalpost = await this.findFiled(externalId);
    if (!journalpost) throw new ArchiveRefusedError(`SvarInn item ${externalId} is not in the archive`);
    const beskrivelser = (await this.http.list(linkOf(journalpost, rel.dokumentbeskrivelse)))
      .filter((d) => this.isOurs(d, externalId))
      .sort((a, b) => Number(a.dokumentnummer) - Number(b.dokumentnummer));
    const documents: FiledDocument[] = [];
    for (const d of beskrivelser) {
      const objekt = (await this.http.list(linkOf(d, rel.dokumentobjekt))).find(
        (o) => o.versjonsnummer === 1,
      );
      const content = objekt && (await this.storedFile(linkOf(objekt, rel.fil)));
      if (!objekt || !content)
        throw new ArchiveRefusedError(`document ${String(d.dokumentnummer)} of ${externalId} has no file`);
      documents.push({
        dokumentnummer: Number(d.dokumentnummer),
        role: String((d.tilknyttetRegistreringSom as Code | undefined)?.kode),
        filename: String(objekt.filnavn),
        mimeType: String(objekt.mimeType),
        content,
      });
    }
    return documents;
  }

  private validate(req: FileIncomingRequest): Document[] {
    const fail = (message: string) => {
      throw new ArchiveRefusedError(message);
    };
    if (!req.externalId.trim()) fail('externalId is required');
    if (!req.title.trim()) fail('title is required');
    if (!req.sender?.name.trim() && !req.replyTo?.name.trim())
      fail('the sender needs a name (korrespondansepart EA)');
    if (req.replyTo?.orgNumber && req.replyTo.nationalId)
      fail('replyTo has an organisation number or a national id, not both');
    dateTime(req.receivedAt, 'receivedAt');
    if (req.documentDate !== undefined) dateTime(req.documentDate, 'documentDate');
    const main = req.documents.filter((d) => d.role === 'H');
    if (main.length !== 1) fail('exactly one main document (role H) is required');
    for (const d of req.documents) if (d.content.length === 0) fail(`${d.filename} is empty`);
    return [...main, ...req.documents.filter((d) => d.role === 'V')];
  }

  /** A dokumentbeskrivelse this client filed for the item (keys written before the prefix are accepted). */
  private isOurs(d: NoarkObject, externalId: string): boolean {
    return d.eksternReferanse === EXTERNAL_KEY_PREFIX + externalId || d.eksternReferanse === externalId;
  }

  private journalpostNumber(jp: NoarkObject): string {
    if (jp.journalaar !== undefined && jp.journalsekvensnummer !== undefined)
      return `${String(jp.journalaar)}/${String(jp.journalsekvensnummer)}`;
    if (typeof jp.registreringsID === 'string') return jp.registreringsID;
    if (jp.journalpostnummer !== undefined) return String(jp.journalpostnummer);
    throw new ArchiveRefusedError('the archive gave the journalpost no number');
  }

  /** Root, arkivstruktur and sakarkiv, read once per client. */
  private async navigation() {
    if (!this.sections) {
      const root = await this.http.json('GET', this.opts.baseUrl);
      if (!hasLink(root, rel.arkivstruktur) || !hasLink(root, rel.sakarkiv))
        throw new ArchiveRefusedError('the archive root offers no arkivstruktur/sakarkiv (not logged in?)');
      const [arkivstruktur, sakarkiv] = await Promise.all([
        this.http.json('GET', linkOf(root, rel.arkivstruktur)),
        this.http.json('GET', linkOf(root, rel.sakarkiv)),
      ]);
      this.sections = { root, arkivstruktur, sakarkiv };
    }
    return this.sections;
  }

  /** What a link leads to, which must be exactly one object (an object, or a list of one). */
  private async one(href: string, what: string): Promise<NoarkObject> {
    const found = await this.http.follow(href);
    if (found.length !== 1)
      throw new ArchiveRefusedError(`expected one object for ${what}, the archive gave ${found.length}`);
    return found[0]!;
  }

  /** A $filter search from a section's list rel that must find at most one object. */
  private async searchOne(
    section: string,
    listRel: string,
    filter: string,
  ): Promise<NoarkObject | undefined> {
    const nav = await this.navigation();
    const start = section === rel.sakarkiv ? nav.sakarkiv : nav.arkivstruktur;
    const results = await this.http.list(withFilter(linkOf(start, listRel), filter));
    if (results.length > 1)
      throw new ArchiveRefusedError(`${results.length} objects match ${filter}; expected at most one`);
    return results[0];
  }

  /** The journalpost an earlier call filed the item in: by its external key, else by its marker. */
  private async findFiled(externalId: string): Promise<NoarkObject | undefined> {
    return (
      (await this.journalpostByExternalKey(EXTERNAL_KEY_PREFIX + externalId)) ??
      (await this.searchOne(
        rel.sakarkiv,
        rel.journalpost,
        `beskrivelse eq ${odataString(`SvarInn forsendelse ${externalId}`)}`,
      ))
    );
  }

  /**
   * Each hit's registrering link is followed and read: it may answer a list, and each document has its own
   * link, so the journalpost is known by its systemID, never by an href (§1.4 point 12).
   */
  private async journalpostByExternalKey(key: string): Promise<NoarkObject | undefined> {
    const nav = await this.navigation();
    const hits = await this.http.list(
      withFilter(
        linkOf(nav.arkivstruktur, rel.dokumentbeskrivelse),
        `eksternReferanse eq ${odataString(key)}`,
      ),
    );
    const journalposts = new Map<string, NoarkObject>();
    for (const d of hits) {
      const href = linkOf(d, hasLink(d, rel.registrering) ? rel.registrering : rel.journalpost);
      for (const registrering of await this.http.follow(href)) {
        if (typeof registrering.systemID !== 'string')
          throw new ArchiveRefusedError('the archive gave a registrering without systemID');
        journalposts.set(registrering.systemID, registrering);
      }
    }
    if (journalposts.size > 1)
      throw new ArchiveRefusedError(`${key} is already in ${journalposts.size} journalposts`);
    const [found] = journalposts.values();
    return found && this.http.json('GET', linkOf(found, 'self'));
  }

  private async resolveCase(
    req: FileIncomingRequest,
    marker: string,
  ): Promise<{ saksmappe: NoarkObject; created: boolean }> {
    const ref = req.caseRef;
    const find = (filter: string) => this.searchOne(rel.sakarkiv, rel.saksmappe, filter);
    if (ref?.caseId || ref?.caseNumber) {
      const found = ref.caseId
        ? await find(`systemID eq ${odataString(ref.caseId)}`)
        : await find(`mappeID eq ${odataString(ref.caseNumber!)}`);
      if (!found)
        throw new ArchiveRefusedError(`the archive has no case ${ref.caseId ?? ref.caseNumber}`, {
          httpStatus: 404,
        });
      return { saksmappe: found, created: false };
    }
    const earlier = await find(`beskrivelse eq ${odataString(marker)}`);
    if (earlier) return { saksmappe: earlier, created: false };
    const nav = await this.navigation();
    const arkivdeler = await this.http.list(linkOf(nav.arkivstruktur, rel.arkivdel));
    const arkivdel = arkivdeler.find((a) => hasLink(a, rel.nySaksmappe));
    if (!arkivdel) throw new ArchiveRefusedError('no arkivdel accepts new cases');
    const saksmappe = await this.create(arkivdel, rel.nySaksmappe, async (t) => ({
      tittel: ref?.title ?? req.title,
      beskrivelse: marker,
      saksstatus: await this.code('saksstatus', 'B', t),
    }));
    return { saksmappe, created: true };
  }

  /** GET the `ny-*` template, merge the body over it, POST it back (§1.4 point 2); 201 with the object. */
  private async create(
    parent: NoarkObject,
    nyRel: string,
    body: (template: NoarkObject) => Promise<Record<string, unknown>>,
  ): Promise<NoarkObject> {
    const href = linkOf(parent, nyRel);
    const template = await this.http.json('GET', href);
    const prefilled: Record<string, unknown> = { ...template };
    delete prefilled._links;
    const created = await this.http.json('POST', href, { ...prefilled, ...(await body(template)) });
    // The object's own self link, never a Location header (§1.4 point 5).
    if (typeof created.systemID !== 'string' || !hasLink(created, 'self'))
      throw new ArchiveRefusedError(`the archive created an object without systemID or self link`);
    return created;
  }

  /**
   * A code value with the server's own kodenavn (§1.4 point 3), its list found by the standard's rel in the
   * template or the metadata section and cached per client. A list the archive does not offer is an error:
   * a bare `{kode}` is never sent (§1.4 point 11).
   */
  private async code(field: CodeListField, kode: string, template?: NoarkObject): Promise<Code> {
    const listRel = codeListRel[field];
    let codes = this.codeLists.get(field);
    if (!codes) {
      let href = template && hasLink(template, listRel) ? linkOf(template, listRel) : undefined;
      if (!href) {
        const metadata = await this.metadataSection();
        if (metadata && hasLink(metadata, listRel)) href = linkOf(metadata, listRel);
      }
      if (!href)
        throw new ArchiveRefusedError(
          `the archive offers no code list ${listRel}, so ${field} cannot be sent with its kodenavn`,
        );
      codes = (await this.http.list(href)) as unknown as Code[];
      this.codeLists.set(field, codes);
    }
    const entry = codes.find((c) => c.kode === kode);
    if (!entry) throw new ArchiveRefusedError(`the archive's ${field} list has no code ${kode}`);
    if (typeof entry.kodenavn !== 'string')
      throw new ArchiveRefusedError(`the archive's ${field} list gives code ${kode} no kodenavn`);
    return { kode: entry.kode, kodenavn: entry.kodenavn };
  }

  private async metadataSection(): Promise<NoarkObject | null> {
    if (this.metadata === undefined) {
      const { root } = await this.navigation();
      this.metadata = hasLink(root, rel.metadata)
        ? await this.http.json('GET', linkOf(root, rel.metadata))
        : null;
    }
    return this.metadata;
  }

  private createDokumentbeskrivelse(
    journalpost: NoarkObject,
    req: FileIncomingRequest,
    doc: Document,
    dokumentnummer: number,
    key: string,
  ): Promise<NoarkObject> {
    return this.create(journalpost, rel.nyDokumentbeskrivelse, async (t) => ({
      tittel: doc.role === 'H' ? req.title : doc.filename,
      dokumenttype: await this.code('dokumenttype', 'B', t),
      dokumentstatus: await this.code('dokumentstatus', 'F', t),
      tilknyttetRegistreringSom: await this.code('tilknyttetRegistreringSom', doc.role, t),
      dokumentnummer,
      eksternReferanse: key,
    }));
  }

  /** Each party as korrespondansepart EA: a person when it has a national id, else an enhet. */
  private async ensureSenders(journalpost: NoarkObject, parties: Party[]): Promise<boolean> {
    const existing = await this.http.list(linkOf(journalpost, rel.korrespondansepart));
    let changed = false;
    for (const party of parties) {
      const exists = existing.some(
        (p) => (p.korrespondanseparttype as Code | undefined)?.kode === 'EA' && p.navn === party.name,
      );
      if (exists) continue;
      const a = party.address;
      const postadresse = a && {
        ...Object.fromEntries(a.lines.slice(0, 3).map((line, i) => [`adresselinje${i + 1}`, line])),
        ...(a.postalCode && { postnr: { kode: a.postalCode }, postnummer: a.postalCode }),
        ...(a.city && { poststed: a.city }),
      };
      const asPerson = !!party.nationalId;
      await this.create(
        journalpost,
        asPerson ? rel.nyKorrespondansepartPerson : rel.nyKorrespondansepartEnhet,
        async (t) => ({
          korrespondanseparttype: await this.code('korrespondanseparttype', 'EA', t),
          navn: party.name,
          ...(party.orgNumber && { enhetsidentifikator: { organisasjonsnummer: party.orgNumber } }),
          ...(asPerson && { personidentifikator: { foedselsnummer: party.nationalId } }),
          ...(postadresse && { postadresse }),
        }),
      );
      changed = true;
    }
    return changed;
  }

  /**
   * Dokumentobjekt version 1 in archive format with the file uploaded; true when anything was created. A file
   * counts as stored only when the archive serves it with the same SHA-256 (§1.4 point 16).
   */
  private async ensureFile(beskrivelse: NoarkObject, doc: Document): Promise<boolean> {
    const digest = sha256(doc.content);
    const objects = await this.http.list(linkOf(beskrivelse, rel.dokumentobjekt));
    let objekt = objects.find((o) => o.versjonsnummer === 1);
    if (objekt) {
      const stored = await this.storedFile(linkOf(objekt, rel.fil));
      if (stored) {
        if (sha256(stored) !== digest)
          throw new ArchiveRefusedError(
            `the archive holds other bytes for ${doc.filename} (checksum differs)`,
          );
        return false;
      }
    } else {
      objekt = await this.create(beskrivelse, rel.nyDokumentobjekt, async (t) => ({
        versjonsnummer: 1,
        variantformat: await this.code('variantformat', 'A', t),
        filnavn: doc.filename,
        mimeType: doc.mimeType,
        // Pre-filled so that the server verifies what it receives (§1.4 point 7).
        filstoerrelse: doc.content.length,
        sjekksum: digest,
        sjekksumAlgoritme: 'SHA-256',
      }));
    }
    let answer: Buffer;
    try {
      ({ content: answer } = await this.http.request('POST', linkOf(objekt, rel.fil), {
        content: doc.content,
        contentType: doc.mimeType,
      }));
    } catch (e) {
      // Any 4xx: not stored (§1.4 point 7). Its own words are the report; what it left behind goes.
      if (!(e instanceof ArchiveRefusedError)) throw e;
      await this.removeOrphans(beskrivelse, objekt, doc, e);
      throw new ArchiveRefusedError(
        `the archive refused ${doc.filename} (${e.httpStatus ?? 'no status'}): ${e.serverMessage ?? e.message}`,
        { ...(e.httpStatus !== undefined && { httpStatus: e.httpStatus }), serverMessage: e.serverMessage },
      );
    }
    let stored: NoarkObject | undefined;
    try {
      stored = JSON.parse(answer.toString('utf8')) as NoarkObject;
    } catch {
      stored = undefined;
    }
    const sum = typeof stored?.sjekksum === 'string' ? stored.sjekksum.toLowerCase() : undefined;
    if (sum !== undefined && sum !== digest)
      throw new ArchiveRefusedError(`the archive holds other bytes for ${doc.filename} (checksum differs)`);
    return true;
  }

  /** Deletes the dokumentobjekt a refused upload left without a file, and its dokumentbeskrivelse if now empty. */
  private async removeOrphans(
    beskrivelse: NoarkObject,
    objekt: NoarkObject,
    doc: Document,
    refusal: ArchiveRefusedError,
  ): Promise<void> {
    try {
      await this.http.request('DELETE', linkOf(objekt, 'self'));
      if ((await this.http.list(linkOf(beskrivelse, rel.dokumentobjekt))).length === 0)
        await this.http.request('DELETE', linkOf(beskrivelse, 'self'));
    } catch (e) {
      const why = (e as Error).message;
      const message = `the archive refused ${doc.filename}: ${refusal.serverMessage ?? refusal.message}; deleting the objects left without the file failed: ${why}`;
      const detail = { ...(refusal.httpStatus !== undefined && { httpStatus: refusal.httpStatus }) };
      // A transient failure to clean up is retried: the retry finds the objects, uploads, and cleans up again.
      throw e instanceof ArchiveRefusedError
        ? new ArchiveRefusedError(message, { ...detail, serverMessage: refusal.serverMessage })
        : e;
    }
  }

  /** The bytes stored behind a `fil` link, or undefined when the archive has none (404, or 400 on one server). */
  private async storedFile(fileHref: string): Promise<Buffer | undefined> {
    try {
      const { content } = await this.http.request('GET', fileHref, undefined, { accept: '*/*' });
      return content;
    } catch (e) {
      if (e instanceof ArchiveRefusedError && e.httpStatus !== undefined && NO_FILE_STATUS.has(e.httpStatus))
        return undefined;
      throw e;
    }
  }
}
