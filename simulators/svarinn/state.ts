// The SvarInn simulator's state: receiving systems with their routes, forsendelser with their state and
// event log (hendelser), injected faults, the list shape and the virtual clock, and the rules that move them:
// routing to the most specific registration (svarinn-api.md §1.2) and the view a test sees of an item.
import { createHash, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { MalformedShape } from './envelope';
import { testCa, type TestCa } from './test-ca';

const TWO_HOURS = 2 * 3600_000;

export interface Route {
  orgnr: string;
  /** A KS forsendelseType such as `ks.byggesøknad`, or '*' for all types (the default). */
  forsendelseType?: string;
  /** '3', '4', or '*' for all levels (the default). */
  niva?: '3' | '4' | '*';
}

export interface ReceivingSystemInput {
  /** The Basic username; a UUID is made when missing. */
  id?: string;
  password?: string;
  /** The certificate uploaded to SvarUt (PEM). Either this or publicKeyPem. */
  certificatePem?: string;
  /** Only a public key (SPKI PEM): the simulator issues a certificate for it. */
  publicKeyPem?: string;
  routes: Route[];
}

export interface InjectFile {
  filnavn: string;
  mimetype?: string;
  content: Uint8Array | string;
  dokumentType?: string | null;
  /** Fault: announce this hash instead of the real one. */
  sha256hash?: string;
  /** Fault: announce this size instead of the real one. */
  size?: number;
}

export interface InjectInput {
  id?: string;
  tittel: string;
  /** The receiving organisation number: routing key and mottaker.orgnr. */
  orgnr: string;
  mottakerNavn?: string;
  forsendelseType?: string | null;
  niva?: '3' | '4';
  /** Epoch ms when SvarUt received it; the simulator clock's now by default. */
  date?: number;
  avsender?: Record<string, unknown>;
  svarSendesTil?: Record<string, unknown> | null;
  metadataFraAvleverendeSystem?: Record<string, unknown>;
  metadataForImport?: Record<string, unknown>;
  /** Any further top-level JSON fields, sent as given (eksternRef, lenker, new fields...). */
  fields?: Record<string, unknown>;
  files: InjectFile[];
  /** 'zip' (default): a ZIP of the files; 'pdf': the single file itself (must be one file). */
  delivery?: 'zip' | 'pdf';
}

export type ItemState = 'KLAR_FOR_MOTTAK' | 'LEST' | 'MOTTAK_FEILET_PERMANENT' | 'IKKE_I_SVARINN';

export interface Hendelse {
  at: string;
  event:
    | 'mottatt'
    | 'listet'
    | 'lastet-ned'
    | 'kvittert'
    | 'mottak-feilet'
    | 'mottak-feilet-permanent'
    | 'sendt-altinn';
  message?: string;
}

export interface ItemView {
  id: string;
  state: ItemState;
  /** The status a sender sees in SvarUt. */
  svarUtStatus: 'Klar for mottak' | 'Lest' | 'Varslet';
  receivingSystemId: string | null;
  orgnr: string;
  /** Klar for mottak for more than 2 hours: SvarUt warns the receiving system's admins. */
  advarsel: boolean;
  downloads: number;
  acknowledgements: number;
  hendelser: Hendelse[];
}

export type Endpoint = 'list' | 'download' | 'ack' | 'fail';

export interface HttpFault {
  endpoint: Endpoint;
  /** Answer with this status instead (401, 403, 404, 500, 503...). */
  status?: number;
  /** Wait this long before answering. */
  delayMs?: number;
  /** How many calls it applies to (default 1). */
  times?: number;
}

export type DownloadFault =
  | { kind: 'slow'; delayMs: number }
  | { kind: 'truncate'; afterBytes: number }
  | { kind: 'corrupt' }
  | { kind: 'wrong-key' }
  | { kind: 'pkcs1' }
  | { kind: 'trailing-bytes'; bytes?: number }
  | { kind: 'der' }
  /** A download that is not a readable CMS EnvelopedData, in one of several shapes. */
  | { kind: 'malformed'; shape: MalformedShape }
  /** A ZIP whose first entry's recorded CRC-32 does not match its bytes. */
  | { kind: 'bad-crc' };

export type { MalformedShape } from './envelope';

export type AckFault =
  /** The ack is applied, then the answer is 500: the client believes it failed. */
  | 'fails-after-apply'
  /** The ack answers 200 but is lost: the same item comes back on every poll. */
  | 'lost';

export interface ListShape {
  /** New, unknown fields in items, addresses and filmetadata. */
  unknownFields?: boolean;
  /** journalaar, journalsekvensnummer and journalpostnummer as null. */
  nullJournalNumbers?: boolean;
  /** Dates as epoch ms (the API) or ISO strings (the KS doc example). */
  dates?: 'epoch' | 'iso';
  /** Order of the list: by date (default) or shuffled, to catch clients that assume an order. */
  order?: 'date' | 'shuffled';
  /** As older SvarInn versions: filmetadata without `sha256hash`. */
  withoutSha256hash?: boolean;
}

export interface System {
  id: string;
  password: string;
  certificatePem: string;
  routes: Required<Route>[];
}

export interface Item {
  id: string;
  input: InjectInput;
  files: {
    filnavn: string;
    mimetype: string;
    content: Buffer;
    dokumentType: string | null;
    sha256hash: string;
    size: number;
  }[];
  date: number;
  systemId: string | null;
  state: ItemState;
  downloads: number;
  acknowledgements: number;
  hendelser: Hendelse[];
}

export type Counted<T> = T & { remaining: number; forsendelseId?: string };

/** Takes one use of the first matching fault, if any. */
export function take<T>(list: Counted<T>[], match: (f: Counted<T>) => boolean): Counted<T> | undefined {
  const fault = list.find((f) => f.remaining > 0 && match(f));
  if (fault) fault.remaining -= 1;
  return fault;
}

export class SvarInnState {
  readonly systems = new Map<string, System>();
  readonly items = new Map<string, Item>();
  httpFaults: Counted<HttpFault>[] = [];
  downloadFaults: Counted<DownloadFault>[] = [];
  ackFaults: Counted<{ kind: AckFault }>[] = [];
  shape: ListShape = {};
  clockOffset = 0;
  /** The simulator's own address (set once it listens), for download URLs. */
  base = '';
  private ca: TestCa | undefined;

  now = (): number => Date.now() + this.clockOffset;

  log(item: Item, event: Hendelse['event'], message?: string): void {
    item.hendelser.push({ at: new Date(this.now()).toISOString(), event, ...(message ? { message } : {}) });
  }

  /** The test CA, made on first use (a 2048-bit key takes a moment). */
  testCa(): TestCa {
    return (this.ca ??= testCa());
  }

  addReceivingSystem = (input: ReceivingSystemInput) => {
    const id = input.id ?? randomUUID();
    if (this.systems.has(id)) throw new Error(`receiving system ${id} exists`);
    const routes = input.routes.map((r) => ({
      orgnr: r.orgnr,
      forsendelseType: r.forsendelseType ?? '*',
      niva: r.niva ?? '*',
    }));
    for (const r of routes)
      for (const other of this.systems.values())
        if (
          other.routes.some(
            (o) => o.orgnr === r.orgnr && o.forsendelseType === r.forsendelseType && o.niva === r.niva,
          )
        )
          throw new Error(`(${r.orgnr}, ${r.forsendelseType}, ${r.niva}) is already routed to ${other.id}`);
    let certificatePem = input.certificatePem;
    if (!certificatePem) {
      if (!input.publicKeyPem) throw new Error('a receiving system needs certificatePem or publicKeyPem');
      certificatePem = this.testCa().issue(input.publicKeyPem, `mottakersystem ${id}`);
    }
    new X509Certificate(certificatePem); // fails early on a certificate that cannot be read
    const system = {
      id,
      password: input.password ?? randomBytes(12).toString('base64url'),
      certificatePem,
      routes,
    };
    this.systems.set(id, system);
    return { id, password: system.password, certificatePem };
  };

  /** The most specific registration wins: a named type over all types, a level over all levels (§1.2). */
  route(orgnr: string, type: string | null, niva: string): string | null {
    let best: { id: string; score: number } | null = null;
    for (const s of this.systems.values())
      for (const r of s.routes) {
        if (r.orgnr !== orgnr) continue;
        if (r.forsendelseType !== '*' && r.forsendelseType !== type) continue;
        if (r.niva !== '*' && r.niva !== niva) continue;
        const score = (r.forsendelseType !== '*' ? 2 : 0) + (r.niva !== '*' ? 1 : 0);
        if (!best || score > best.score) best = { id: s.id, score };
      }
    return best?.id ?? null;
  }

  inject = (input: InjectInput): string => {
    const id = input.id ?? randomUUID();
    if (this.items.has(id)) throw new Error(`forsendelse ${id} exists`);
    if (input.delivery === 'pdf' && input.files.length !== 1)
      throw new Error('a single-PDF delivery has one file');
    const files = input.files.map((f) => {
      const content = typeof f.content === 'string' ? Buffer.from(f.content, 'utf8') : Buffer.from(f.content);
      return {
        filnavn: f.filnavn,
        mimetype: f.mimetype ?? 'application/pdf',
        content,
        dokumentType: f.dokumentType ?? null,
        sha256hash: f.sha256hash ?? createHash('sha256').update(content).digest('hex'),
        size: f.size ?? content.length,
      };
    });
    const systemId = this.route(input.orgnr, input.forsendelseType ?? null, input.niva ?? '3');
    const item: Item = {
      id,
      input,
      files,
      date: input.date ?? this.now(),
      systemId,
      state: systemId ? 'KLAR_FOR_MOTTAK' : 'IKKE_I_SVARINN',
      downloads: 0,
      acknowledgements: 0,
      hendelser: [],
    };
    this.log(item, 'mottatt');
    // With no receiving system for the organisation number, SvarUt notifies through Altinn instead.
    if (!systemId) this.log(item, 'sendt-altinn', 'ingen mottakersystem for organisasjonsnummeret');
    this.items.set(id, item);
    return id;
  };

  view = (item: Item): ItemView => ({
    id: item.id,
    state: item.state,
    svarUtStatus:
      item.state === 'KLAR_FOR_MOTTAK' ? 'Klar for mottak' : item.state === 'LEST' ? 'Lest' : 'Varslet',
    receivingSystemId: item.systemId,
    orgnr: item.input.orgnr,
    advarsel: item.state === 'KLAR_FOR_MOTTAK' && this.now() - item.date > TWO_HOURS,
    downloads: item.downloads,
    acknowledgements: item.acknowledgements,
    hendelser: item.hendelser.map((h) => ({ ...h })),
  });
}
