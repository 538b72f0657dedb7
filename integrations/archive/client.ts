// Files an incoming SvarInn letter into a Noark 5 archive through the Tjenestegrensesnitt, navigating only
// by link relations from the service root (archive-noark5.md §1.2–1.4).
//
// Idempotency: every step looks for its object before creating it, so a retry after a failure or a lost
// response at any step resumes where the earlier attempt stopped:
//   1. dokumentbeskrivelse.eksternReferanse = the SvarInn id, searched with $filter (§1.4 point 8); a hit
//      leads to the journalpost;
//   2. the journalpost (and a case this client creates) also carries `beskrivelse` "SvarInn forsendelse
//      <id>", searched with $filter, which covers a stop between creating the journalpost and its first
//      dokumentbeskrivelse;
//   3. dokumentbeskrivelser are matched by eksternReferanse + dokumentnummer, the sender by type EA + navn,
//      the dokumentobjekt by versjonsnummer 1, and a file counts as stored when the server references it
//      or serves bytes with the expected SHA-256.
import { createHash } from 'node:crypto';
import {
  ArchiveError,
  hasLink,
  linkOf,
  NoarkHttp,
  odataString,
  rel,
  withFilter,
  type NoarkObject,
} from './http';

export { ArchiveError } from './http';

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
  sender: {
    name: string;
    orgNumber?: string;
    nationalId?: string;
    address?: { lines: string[]; postalCode?: string; city?: string };
  };
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

export interface ArchiveClientOptions {
  /** The service root (e.g. https://n5.example.com/api/); every other URL is found through links. */
  baseUrl: string;
  username?: string;
  password?: string;
  /** OAuth2 client for the token request (client_secret_basic). */
  clientId?: string;
  clientSecret?: string;
  /** Token URL; when absent it is found through the root's OIDC login rel. */
  tokenUrl?: string;
  /** A bearer token obtained elsewhere. */
  token?: string;
  /** journalstatus for new journalposts; `M` (midlertidig registrering) unless the archive wants another. */
  journalstatus?: string;
  /** Per request, the body included (default 60 s); an archive that does not answer in time is retryable. */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

type Code = { kode: string; kodenavn?: string };
type Document = FileIncomingRequest['documents'][number];

const OSLO_OFFSET = new Intl.DateTimeFormat('en-US', { timeZone: 'Europe/Oslo', timeZoneName: 'longOffset' });
const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
const DATE_TIME_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

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
  throw new ArchiveError(`${field} must be an ISO date, or a date-time with a time zone`, {
    retryable: false,
  });
}

function sha256(content: Buffer): string {
  return createHash('sha256').update(content).digest('hex');
}

export class ArchiveClient {
  private readonly http: NoarkHttp;
  private readonly codeLists = new Map<string, Code[] | null>();
  private sections?: { arkivstruktur: NoarkObject; sakarkiv: NoarkObject; root: NoarkObject };

  constructor(private readonly opts: ArchiveClientOptions) {
    this.http = new NoarkHttp(opts.baseUrl, opts, opts.fetch, opts.timeoutMs);
  }

  async fileIncoming(req: FileIncomingRequest): Promise<FiledResult> {
    const documents = this.validate(req);
    const marker = `SvarInn forsendelse ${req.externalId}`;
    let changed = false;

    let journalpost =
      (await this.journalpostByExternalKey(req.externalId)) ??
      (await this.searchOne(rel.sakarkiv, rel.journalpost, `beskrivelse eq ${odataString(marker)}`));
    let saksmappe: NoarkObject;
    if (journalpost) {
      saksmappe = await this.http.json(
        'GET',
        linkOf(journalpost, hasLink(journalpost, rel.saksmappe) ? rel.saksmappe : rel.mappe),
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
      const found = existing.find((d) => d.eksternReferanse === req.externalId && d.dokumentnummer === i + 1);
      if (found) beskrivelser.push(found);
      else {
        beskrivelser.push(await this.createDokumentbeskrivelse(journalpost, req, doc, i + 1));
        changed = true;
      }
    }
    if (await this.ensureSender(journalpost, req.sender)) changed = true;
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

  private validate(req: FileIncomingRequest): Document[] {
    const fail = (message: string) => {
      throw new ArchiveError(message, { retryable: false });
    };
    if (!req.externalId.trim()) fail('externalId is required');
    if (!req.title.trim()) fail('title is required');
    if (!req.sender.name.trim()) fail('the sender needs a name (korrespondansepart EA)');
    dateTime(req.receivedAt, 'receivedAt');
    if (req.documentDate !== undefined) dateTime(req.documentDate, 'documentDate');
    const main = req.documents.filter((d) => d.role === 'H');
    if (main.length !== 1) fail('exactly one main document (role H) is required');
    for (const d of req.documents) if (d.content.length === 0) fail(`${d.filename} is empty`);
    return [...main, ...req.documents.filter((d) => d.role === 'V')];
  }

  private journalpostNumber(jp: NoarkObject): string {
    if (jp.journalaar !== undefined && jp.journalsekvensnummer !== undefined)
      return `${String(jp.journalaar)}/${String(jp.journalsekvensnummer)}`;
    if (typeof jp.registreringsID === 'string') return jp.registreringsID;
    if (jp.journalpostnummer !== undefined) return String(jp.journalpostnummer);
    throw new ArchiveError('the archive gave the journalpost no number', { retryable: false });
  }

  /** Root, arkivstruktur and sakarkiv, read once per client. */
  private async navigation() {
    if (!this.sections) {
      const root = await this.http.json('GET', this.opts.baseUrl);
      if (!hasLink(root, rel.arkivstruktur) || !hasLink(root, rel.sakarkiv))
        throw new ArchiveError('the archive root offers no arkivstruktur/sakarkiv (not logged in?)', {
          retryable: false,
        });
      const [arkivstruktur, sakarkiv] = await Promise.all([
        this.http.json('GET', linkOf(root, rel.arkivstruktur)),
        this.http.json('GET', linkOf(root, rel.sakarkiv)),
      ]);
      this.sections = { root, arkivstruktur, sakarkiv };
    }
    return this.sections;
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
      throw new ArchiveError(`${results.length} objects match ${filter}; expected at most one`, {
        retryable: false,
      });
    return results[0];
  }

  private async journalpostByExternalKey(externalId: string): Promise<NoarkObject | undefined> {
    const nav = await this.navigation();
    const hits = await this.http.list(
      withFilter(
        linkOf(nav.arkivstruktur, rel.dokumentbeskrivelse),
        `eksternReferanse eq ${odataString(externalId)}`,
      ),
    );
    const parents = new Set(
      hits.map((d) => linkOf(d, hasLink(d, rel.journalpost) ? rel.journalpost : rel.registrering)),
    );
    if (parents.size > 1)
      throw new ArchiveError(`SvarInn item ${externalId} is already in ${parents.size} journalposts`, {
        retryable: false,
      });
    const [href] = parents;
    return href ? this.http.json('GET', href) : undefined;
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
        throw new ArchiveError(`the archive has no case ${ref.caseId ?? ref.caseNumber}`, {
          retryable: false,
          httpStatus: 404,
        });
      return { saksmappe: found, created: false };
    }
    const earlier = await find(`beskrivelse eq ${odataString(marker)}`);
    if (earlier) return { saksmappe: earlier, created: false };
    const nav = await this.navigation();
    const arkivdeler = await this.http.list(linkOf(nav.arkivstruktur, rel.arkivdel));
    const arkivdel = arkivdeler.find((a) => hasLink(a, rel.nySaksmappe));
    if (!arkivdel) throw new ArchiveError('no arkivdel accepts new cases', { retryable: false });
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
    if (typeof created.systemID !== 'string' || !hasLink(created, 'self'))
      throw new ArchiveError(`the archive created an object without systemID or self link`, {
        retryable: false,
      });
    return created;
  }

  /** A code value with the server's own kodenavn (§1.4 point 3), code lists cached per client. */
  private async code(list: string, kode: string, template?: NoarkObject): Promise<Code> {
    if (!this.codeLists.has(list)) {
      let href =
        template && hasLink(template, rel.codeList(list)) ? linkOf(template, rel.codeList(list)) : undefined;
      if (!href) {
        const { root } = await this.navigation();
        if (hasLink(root, rel.metadata)) {
          const metadata = await this.http.json('GET', linkOf(root, rel.metadata));
          if (hasLink(metadata, rel.codeList(list))) href = linkOf(metadata, rel.codeList(list));
        }
      }
      const codes = href ? ((await this.http.list(href)) as unknown as Code[]) : null;
      this.codeLists.set(list, codes);
    }
    const codes = this.codeLists.get(list);
    if (!codes) return { kode };
    const entry = codes.find((c) => c.kode === kode);
    if (!entry)
      throw new ArchiveError(`the archive's ${list} list has no code ${kode}`, { retryable: false });
    return { kode: entry.kode, kodenavn: entry.kodenavn };
  }

  private createDokumentbeskrivelse(
    journalpost: NoarkObject,
    req: FileIncomingRequest,
    doc: Document,
    dokumentnummer: number,
  ): Promise<NoarkObject> {
    return this.create(journalpost, rel.nyDokumentbeskrivelse, async (t) => ({
      tittel: doc.role === 'H' ? req.title : doc.filename,
      dokumenttype: await this.code('dokumenttype', 'B', t),
      dokumentstatus: await this.code('dokumentstatus', 'F', t),
      tilknyttetRegistreringSom: await this.code('tilknyttetRegistreringSom', doc.role, t),
      dokumentnummer,
      eksternReferanse: req.externalId,
    }));
  }

  /** Korrespondansepart EA: an enhet when the sender has an organisation number, else a person. */
  private async ensureSender(
    journalpost: NoarkObject,
    sender: FileIncomingRequest['sender'],
  ): Promise<boolean> {
    const parts = await this.http.list(linkOf(journalpost, rel.korrespondansepart));
    const exists = parts.some(
      (p) => (p.korrespondanseparttype as Code | undefined)?.kode === 'EA' && p.navn === sender.name,
    );
    if (exists) return false;
    const postadresse = sender.address && {
      ...Object.fromEntries(
        sender.address.lines.slice(0, 3).map((line, i) => [`adresselinje${i + 1}`, line]),
      ),
      ...(sender.address.postalCode && {
        postnr: { kode: sender.address.postalCode },
        postnummer: sender.address.postalCode,
      }),
      ...(sender.address.city && { poststed: sender.address.city }),
    };
    const asEnhet = !!sender.orgNumber;
    await this.create(
      journalpost,
      asEnhet ? rel.nyKorrespondansepartEnhet : rel.nyKorrespondansepartPerson,
      async (t) => ({
        korrespondanseparttype: await this.code('korrespondanseparttype', 'EA', t),
        navn: sender.name,
        ...(asEnhet && { enhetsidentifikator: { organisasjonsnummer: sender.orgNumber } }),
        ...(!asEnhet && sender.nationalId && { personidentifikator: { foedselsnummer: sender.nationalId } }),
        ...(postadresse && { postadresse }),
      }),
    );
    return true;
  }

  /** Dokumentobjekt version 1 in archive format with the file uploaded; true when anything was created. */
  private async ensureFile(beskrivelse: NoarkObject, doc: Document): Promise<boolean> {
    const digest = sha256(doc.content);
    const objects = await this.http.list(linkOf(beskrivelse, rel.dokumentobjekt));
    let created = false;
    let objekt = objects.find((o) => o.versjonsnummer === 1);
    if (!objekt) {
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
      created = true;
    }
    if (objekt.referanseDokumentfil) {
      this.checkStored(objekt, digest, doc);
      return created;
    }
    const fileHref = linkOf(objekt, rel.fil);
    try {
      const { content } = await this.http.request('POST', fileHref, {
        content: doc.content,
        contentType: doc.mimeType,
      });
      this.checkStored(JSON.parse(content.toString('utf8')) as NoarkObject, digest, doc);
      return true;
    } catch (e) {
      // A 4xx may mean an earlier attempt stored the file and lost the answer: the bytes decide.
      if (!(e instanceof ArchiveError) || e.retryable) throw e;
      const stored = await this.download(fileHref);
      if (stored && sha256(stored) === digest) return created;
      throw e;
    }
  }

  private checkStored(objekt: NoarkObject, digest: string, doc: Document) {
    const sum = typeof objekt.sjekksum === 'string' ? objekt.sjekksum.toLowerCase() : undefined;
    if (sum !== undefined && sum !== digest)
      throw new ArchiveError(`the archive holds other bytes for ${doc.filename} (checksum differs)`, {
        retryable: false,
      });
  }

  private async download(fileHref: string): Promise<Buffer | undefined> {
    try {
      const { content } = await this.http.request('GET', fileHref, undefined, { accept: '*/*' });
      return content;
    } catch (e) {
      if (e instanceof ArchiveError && e.httpStatus === 404) return undefined;
      throw e;
    }
  }
}
