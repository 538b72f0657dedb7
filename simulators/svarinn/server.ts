// KS SvarInn simulator: the mottaker API v1 (svarinn-api.md §2, §11) with Basic auth per receiving system,
// routing by (orgnr, forsendelseType, nivå) to the most specific registration, items listed (max 200) until
// acknowledged, permanent failure taking an item away, and downloads encrypted as SvarUt encrypts them
// (envelope.ts). A test-only admin API (methods on the returned object, and HTTP under /admin) registers
// receiving systems, injects forsendelser, shows state and event log, moves a virtual clock and injects faults.
import express, { type Request, type Response } from 'express';
import { createHash, generateKeyPairSync, randomBytes, randomUUID, X509Certificate } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import forge from 'node-forge';
import { envelope, malformedEnvelope, type EnvelopeOptions, type MalformedShape } from './envelope';
import { javaStyleZip, withWrongCrc } from './zip';

const BASE = '/tjenester/svarinn';
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

export interface SvarInnSimulator {
  url: string;
  addReceivingSystem(input: ReceivingSystemInput): { id: string; password: string; certificatePem: string };
  inject(input: InjectInput): string;
  item(id: string): ItemView | undefined;
  items(): ItemView[];
  injectFault(fault: HttpFault): void;
  /** A fault for downloads of one item (or of every item when forsendelseId is missing). */
  injectDownloadFault(fault: DownloadFault & { forsendelseId?: string; times?: number }): void;
  injectAckFault(fault: { kind: AckFault; forsendelseId?: string; times?: number }): void;
  setListShape(shape: ListShape): void;
  clearFaults(): void;
  advanceClock(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

interface System {
  id: string;
  password: string;
  certificatePem: string;
  routes: Required<Route>[];
}

interface Item {
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

type Counted<T> = T & { remaining: number; forsendelseId?: string };

/** A test CA that issues certificates for receiving systems registered with only a public key. */
function testCa() {
  const caKey = forge.pki.privateKeyFromPem(
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString(),
  );
  const name = [
    { name: 'countryName', value: 'NO' },
    { name: 'organizationName', value: 'SvarInn simulator' },
    { name: 'commonName', value: 'SvarInn simulator test CA' },
  ];
  return {
    issue(publicKeyPem: string, cn: string): string {
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
      cert.serialNumber = '01' + randomBytes(8).toString('hex');
      cert.validity.notBefore = new Date(Date.now() - 86_400_000);
      cert.validity.notAfter = new Date(Date.now() + 99999 * 86_400_000);
      cert.setSubject([{ name: 'commonName', value: cn }]);
      cert.setIssuer(name);
      cert.sign(caKey, forge.md.sha256.create());
      return forge.pki.certificateToPem(cert);
    },
  };
}

function errorBody(req: Request, status: number, error: string, message: string) {
  // The Fiks ErrorMessage shape of KS's newer APIs (§2); V1's own error body is not documented.
  return {
    timestamp: new Date().toISOString(),
    status,
    error,
    errorId: randomUUID(),
    path: req.path,
    originalPath: req.originalUrl,
    message,
    errorCode: null,
    errorJson: null,
  };
}

const STATUS_TEXT: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

export async function startSvarInnSimulator(
  opts: { port?: number; host?: string } = {},
): Promise<SvarInnSimulator> {
  const systems = new Map<string, System>();
  const items = new Map<string, Item>();
  let httpFaults: Counted<HttpFault>[] = [];
  let downloadFaults: Counted<DownloadFault>[] = [];
  let ackFaults: Counted<{ kind: AckFault }>[] = [];
  let shape: ListShape = {};
  let clockOffset = 0;
  let ca: ReturnType<typeof testCa> | undefined;
  let base = '';

  const now = () => Date.now() + clockOffset;
  const log = (item: Item, event: Hendelse['event'], message?: string) =>
    item.hendelser.push({ at: new Date(now()).toISOString(), event, ...(message ? { message } : {}) });

  function addReceivingSystem(input: ReceivingSystemInput) {
    const id = input.id ?? randomUUID();
    if (systems.has(id)) throw new Error(`receiving system ${id} exists`);
    const routes = input.routes.map((r) => ({
      orgnr: r.orgnr,
      forsendelseType: r.forsendelseType ?? '*',
      niva: r.niva ?? '*',
    }));
    for (const r of routes)
      for (const other of systems.values())
        if (
          other.routes.some(
            (o) => o.orgnr === r.orgnr && o.forsendelseType === r.forsendelseType && o.niva === r.niva,
          )
        )
          throw new Error(`(${r.orgnr}, ${r.forsendelseType}, ${r.niva}) is already routed to ${other.id}`);
    let certificatePem = input.certificatePem;
    if (!certificatePem) {
      if (!input.publicKeyPem) throw new Error('a receiving system needs certificatePem or publicKeyPem');
      ca ??= testCa();
      certificatePem = ca.issue(input.publicKeyPem, `mottakersystem ${id}`);
    }
    new X509Certificate(certificatePem); // fails early on a certificate that cannot be read
    const system = {
      id,
      password: input.password ?? randomBytes(12).toString('base64url'),
      certificatePem,
      routes,
    };
    systems.set(id, system);
    return { id, password: system.password, certificatePem };
  }

  /** The most specific registration wins: a named type over all types, a level over all levels (§1.2). */
  function route(orgnr: string, type: string | null, niva: string): string | null {
    let best: { id: string; score: number } | null = null;
    for (const s of systems.values())
      for (const r of s.routes) {
        if (r.orgnr !== orgnr) continue;
        if (r.forsendelseType !== '*' && r.forsendelseType !== type) continue;
        if (r.niva !== '*' && r.niva !== niva) continue;
        const score = (r.forsendelseType !== '*' ? 2 : 0) + (r.niva !== '*' ? 1 : 0);
        if (!best || score > best.score) best = { id: s.id, score };
      }
    return best?.id ?? null;
  }

  function inject(input: InjectInput): string {
    const id = input.id ?? randomUUID();
    if (items.has(id)) throw new Error(`forsendelse ${id} exists`);
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
    const systemId = route(input.orgnr, input.forsendelseType ?? null, input.niva ?? '3');
    const item: Item = {
      id,
      input,
      files,
      date: input.date ?? now(),
      systemId,
      state: systemId ? 'KLAR_FOR_MOTTAK' : 'IKKE_I_SVARINN',
      downloads: 0,
      acknowledgements: 0,
      hendelser: [],
    };
    log(item, 'mottatt');
    // With no receiving system for the organisation number, SvarUt notifies through Altinn instead.
    if (!systemId) log(item, 'sendt-altinn', 'ingen mottakersystem for organisasjonsnummeret');
    items.set(id, item);
    return id;
  }

  function view(item: Item): ItemView {
    return {
      id: item.id,
      state: item.state,
      svarUtStatus:
        item.state === 'KLAR_FOR_MOTTAK' ? 'Klar for mottak' : item.state === 'LEST' ? 'Lest' : 'Varslet',
      receivingSystemId: item.systemId,
      orgnr: item.input.orgnr,
      advarsel: item.state === 'KLAR_FOR_MOTTAK' && now() - item.date > TWO_HOURS,
      downloads: item.downloads,
      acknowledgements: item.acknowledgements,
      hendelser: item.hendelser.map((h) => ({ ...h })),
    };
  }

  /** Takes one use of the first matching fault, if any. */
  function take<T>(list: Counted<T>[], match: (f: Counted<T>) => boolean): Counted<T> | undefined {
    const fault = list.find((f) => f.remaining > 0 && match(f));
    if (fault) fault.remaining -= 1;
    return fault;
  }

  // ---- the V1 JSON of one item (§3) ----
  function toJson(item: Item) {
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
      downloadUrl: `${base}${BASE}/forsendelse/${item.id}`,
      ...item.input.fields,
      ...extra,
    };
  }

  // ---- HTTP ----
  const app = express();
  app.disable('x-powered-by');

  const fail = (req: Request, res: Response, status: number, message: string) => {
    if (status === 401) res.set('WWW-Authenticate', 'Basic realm="KS Svarut mottaker login"');
    res.status(status).json(errorBody(req, status, STATUS_TEXT[status] ?? 'Error', message));
  };

  const sleep = (ms: number, res: Response) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      res.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  /** Applies an injected HTTP fault; true when it answered the request itself. */
  async function httpFault(endpoint: Endpoint, req: Request, res: Response): Promise<boolean> {
    const fault = take(httpFaults, (f) => f.endpoint === endpoint);
    if (!fault) return false;
    if (fault.delayMs) await sleep(fault.delayMs, res);
    if (res.destroyed || res.writableEnded) return true;
    if (fault.status) {
      fail(req, res, fault.status, `injected fault on ${endpoint}`);
      return true;
    }
    return false;
  }

  function authenticate(req: Request, res: Response): System | undefined {
    const header = req.header('authorization') ?? '';
    const match = /^Basic\s+(.+)$/i.exec(header);
    const [user, ...rest] = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8').split(':') : [];
    const system = user ? systems.get(user) : undefined;
    if (!system || system.password !== rest.join(':')) {
      fail(req, res, 401, 'Feil brukernavn eller passord');
      return undefined;
    }
    return system;
  }

  /** The caller's item, or 404 (unknown, or routed to another system). */
  function ownItem(req: Request, res: Response, system: System): Item | undefined {
    const item = items.get(String(req.params.id));
    if (!item || item.systemId !== system.id) {
      fail(req, res, 404, `Fant ikke forsendelse ${String(req.params.id)}`);
      return undefined;
    }
    return item;
  }

  app.get(`${BASE}/mottaker/hentNyeForsendelser`, async (req, res) => {
    if (await httpFault('list', req, res)) return;
    const system = authenticate(req, res);
    if (!system) return;
    const waiting = [...items.values()].filter(
      (i) => i.systemId === system.id && i.state === 'KLAR_FOR_MOTTAK',
    );
    waiting.sort((a, b) => a.date - b.date);
    const page = waiting.slice(0, 200);
    if (shape.order === 'shuffled')
      for (let i = page.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [page[i], page[j]] = [page[j]!, page[i]!];
      }
    for (const item of page) log(item, 'listet');
    res
      .status(200)
      .type('application/json; charset=utf-8')
      .send(JSON.stringify(page.map(toJson)));
  });

  app.get(`${BASE}/forsendelse/:id`, async (req, res) => {
    if (await httpFault('download', req, res)) return;
    const system = authenticate(req, res);
    if (!system) return;
    const item = ownItem(req, res, system);
    if (!item) return;
    if (item.state === 'MOTTAK_FEILET_PERMANENT')
      return fail(req, res, 404, `Forsendelse ${item.id} er ikke i SvarInn`);
    const fault = take(downloadFaults, (f) => !f.forsendelseId || f.forsendelseId === item.id);

    const single = item.input.delivery === 'pdf';
    let plaintext = single ? item.files[0]!.content : javaStyleZip(item.files, new Date(now()));
    if (fault?.kind === 'bad-crc' && !single) plaintext = withWrongCrc(plaintext);
    let certificatePem = system.certificatePem;
    if (fault?.kind === 'wrong-key') {
      ca ??= testCa();
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
      certificatePem = ca.issue(other.export({ type: 'spki', format: 'pem' }).toString(), 'another system');
    }
    const envelopeOptions: EnvelopeOptions = {
      corruptPadding: fault?.kind === 'corrupt',
      pkcs1KeyTransport: fault?.kind === 'pkcs1',
      trailingBytes: fault?.kind === 'trailing-bytes' ? (fault.bytes ?? 8) : 0,
      encoding: fault?.kind === 'der' ? 'der' : 'ber',
    };
    item.downloads += 1;
    log(item, 'lastet-ned');
    const id8 = item.id.slice(0, 8);
    res.status(200).set(
      single
        ? {
            'Content-Type': 'application/pdf',
            'Content-Disposition': `attachment; filename="dokument-${id8}.pdf"`,
          }
        : {
            'Content-Type': 'application/zip;charset=UTF-8',
            'Content-Disposition': `attachment; filename="dokumenter-${id8}.zip"`,
          },
    );
    const pieces =
      fault?.kind === 'malformed'
        ? [malformedEnvelope(fault.shape, plaintext, certificatePem)]
        : envelope(plaintext, certificatePem, envelopeOptions);
    let sent = 0;
    let first = true;
    for (const piece of pieces) {
      if (res.destroyed) return;
      if (fault?.kind === 'truncate' && sent + piece.length > fault.afterBytes) {
        res.write(piece.subarray(0, fault.afterBytes - sent));
        // Let the bytes go out, then cut the connection mid-body.
        setImmediate(() => res.destroy());
        return;
      }
      res.write(piece);
      sent += piece.length;
      if (first && fault?.kind === 'slow') await sleep(fault.delayMs, res);
      first = false;
    }
    if (!res.destroyed) res.end();
  });

  app.post(`${BASE}/kvitterMottak/forsendelse/:id`, async (req, res) => {
    if (await httpFault('ack', req, res)) return;
    const system = authenticate(req, res);
    if (!system) return;
    const item = ownItem(req, res, system);
    if (!item) return;
    const fault = take(ackFaults, (f) => !f.forsendelseId || f.forsendelseId === item.id);
    item.acknowledgements += 1;
    if (fault?.kind === 'lost') {
      res.status(200).end();
      return;
    }
    if (item.state === 'KLAR_FOR_MOTTAK') {
      item.state = 'LEST';
      log(item, 'kvittert');
    }
    if (fault?.kind === 'fails-after-apply')
      return fail(req, res, 500, 'injected fault after the ack was applied');
    res.status(200).end();
  });

  app.post(`${BASE}/mottakFeilet/forsendelse/:id`, express.text({ type: () => true }), async (req, res) => {
    if (await httpFault('fail', req, res)) return;
    const system = authenticate(req, res);
    if (!system) return;
    const item = ownItem(req, res, system);
    if (!item) return;
    let body: unknown;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return fail(req, res, 400, 'Forventet JSON {"feilmelding": string, "permanent": boolean}');
    }
    const { feilmelding, permanent } = (body ?? {}) as { feilmelding?: unknown; permanent?: unknown };
    if (typeof feilmelding !== 'string' || feilmelding.length < 1 || typeof permanent !== 'boolean')
      return fail(req, res, 400, 'feilmelding (minst ett tegn) og permanent (boolean) er påkrevd');
    if (permanent && item.state === 'KLAR_FOR_MOTTAK') {
      item.state = 'MOTTAK_FEILET_PERMANENT';
      log(item, 'mottak-feilet-permanent', feilmelding);
      log(item, 'sendt-altinn');
    } else log(item, 'mottak-feilet', feilmelding);
    res.status(200).end();
  });

  // ---- admin (test only, no authentication: bind the simulator to localhost) ----
  const admin = express.Router();
  admin.use(express.json({ limit: '50mb' }));
  const adminCall =
    (fn: (req: Request) => unknown, status = 200) =>
    (req: Request, res: Response) => {
      try {
        res.status(status).json(fn(req) ?? {});
      } catch (e) {
        res.status(400).json({ message: (e as Error).message });
      }
    };
  admin.post(
    '/receiving-systems',
    adminCall((req) => addReceivingSystem(req.body as ReceivingSystemInput), 201),
  );
  admin.post(
    '/forsendelser',
    adminCall((req) => {
      const body = req.body as Omit<InjectInput, 'files'> & {
        files: (Omit<InjectFile, 'content'> & { contentBase64: string })[];
      };
      const files = body.files.map(({ contentBase64, ...f }) => ({
        ...f,
        content: Buffer.from(contentBase64, 'base64'),
      }));
      return { id: inject({ ...body, files }) };
    }, 201),
  );
  admin.get(
    '/forsendelser',
    adminCall(() => [...items.values()].map(view)),
  );
  admin.get('/forsendelser/:id', (req, res) => {
    const item = items.get(req.params.id);
    if (!item) res.status(404).json({ message: 'unknown forsendelse' });
    else res.json(view(item));
  });
  admin.post(
    '/faults/http',
    adminCall((req) => sim.injectFault(req.body as HttpFault), 201),
  );
  admin.post(
    '/faults/download',
    adminCall((req) => sim.injectDownloadFault(req.body as DownloadFault), 201),
  );
  admin.post(
    '/faults/ack',
    adminCall((req) => sim.injectAckFault(req.body as { kind: AckFault }), 201),
  );
  admin.delete(
    '/faults',
    adminCall(() => sim.clearFaults()),
  );
  admin.put(
    '/list-shape',
    adminCall((req) => sim.setListShape(req.body as ListShape)),
  );
  admin.post(
    '/clock/advance',
    adminCall((req) => sim.advanceClock(Number((req.body as { ms: number }).ms))),
  );
  app.use('/admin', admin);

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  base = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;

  const sim: SvarInnSimulator = {
    url: base,
    addReceivingSystem,
    inject,
    item: (id) => {
      const item = items.get(id);
      return item ? view(item) : undefined;
    },
    items: () => [...items.values()].map(view),
    injectFault: (f) => void httpFaults.push({ ...f, remaining: f.times ?? 1 }),
    injectDownloadFault: ({ times, ...f }) =>
      void downloadFaults.push({ ...f, remaining: times ?? Infinity }),
    injectAckFault: ({ times, kind, forsendelseId }) =>
      void ackFaults.push({
        kind,
        remaining: times ?? Infinity,
        ...(forsendelseId ? { forsendelseId } : {}),
      }),
    setListShape: (s) => {
      shape = { ...s };
    },
    clearFaults: () => {
      httpFaults = [];
      downloadFaults = [];
      ackFaults = [];
    },
    advanceClock: (ms) => {
      clockOffset += ms;
    },
    now,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  return sim;
}
