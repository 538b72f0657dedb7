// Noark 5 Tjenestegrensesnitt simulator (archive-noark5.md §1, with the behaviour of a real server in §1.4):
// OAuth2 login discovered through the OIDC rel, HATEOAS `_links` keyed by relation URL from the root,
// templates behind every `ny-*` rel, the server's own code lists, strict validation on create, file upload
// with size and checksum verification, `$filter` search, ETag-checked PUT, fault injection and inspection.
import express, { type Request, type Response } from 'express';
import { createHash, randomBytes } from 'node:crypto';
import type { Server } from 'node:http';
import { ArchiveStore, CODE_LISTS, codeListRel, ValidationError, type Entity, type Kind } from './store';
import { FilterError, parseFilter, uuidLiteralOnStringField } from './odata';
import { unreadableAs } from './file-check';

const MEDIA_TYPE = 'application/vnd.noark5+json';
const REL = 'https://rel.arkivverket.no/noark5/v5/api/';
const PAGE_SIZE = 10;

export interface Fault {
  /** Route kind to match, e.g. `create:journalpost`, `upload`, `search:dokumentbeskrivelse`; all when unset. */
  kind?: string;
  method?: string;
  /** Answer with this status (e.g. 500, 503). Without it the fault only delays. */
  status?: number;
  delayMs?: number;
  /** Perform the request, then answer `status` anyway: the client loses the response to a committed change. */
  afterCommit?: boolean;
  /** Answer HTTP 200 with `{status, message}` in the body, as one server does for some errors (§1.4 point 13). */
  inBody?: boolean;
  /** How many matching requests this fault applies to (default 1). */
  count?: number;
  /** How many matching requests to let through first (default 0). */
  skip?: number;
}

export interface InspectedFile {
  sha256: string;
  size: number;
  contentType: string;
}
export interface InspectedDokumentobjekt extends Record<string, unknown> {
  file?: InspectedFile;
}
export interface InspectedDokumentbeskrivelse extends Record<string, unknown> {
  dokumentobjekter: InspectedDokumentobjekt[];
}
export interface InspectedJournalpost extends Record<string, unknown> {
  systemID: string;
  saksmappe: { systemID: string; mappeID: string };
  korrespondanseparter: Record<string, unknown>[];
  dokumentbeskrivelser: InspectedDokumentbeskrivelse[];
}
export interface InspectedSaksmappe extends Record<string, unknown> {
  systemID: string;
  mappeID: string;
  journalposter: number;
}

export interface ArchiveSimulator {
  /** The service root, the only URL a client is given. */
  url: string;
  saksmapper(): InspectedSaksmappe[];
  journalposts(): InspectedJournalpost[];
  /** Seeds an existing case (as an archivist would have created it). */
  addSaksmappe(tittel: string): { systemID: string; mappeID: string };
  injectFault(fault: Fault): void;
  clearFaults(): void;
  /** Invalidates every access token issued so far, as an expiry would. */
  expireTokens(): void;
  /** Every request the API answered (admin routes excluded). */
  requests: { method: string; path: string; status: number; kind: string }[];
  close(): Promise<void>;
}

/**
 * Where a real server and the standard's text differ (archive-noark5.md §1.4), the simulator does either:
 * - `observed` (default): what the independent TG server did. No `Location` after a create; PUT wants the ETag
 *   in a header named `ETag` (`If-Match` alone: 400); a second upload and a file that is not what its type
 *   says get 400; downloading a dokumentobjekt without a file gets 400 "Could not read file: null"; a
 *   `$filter` value that looks like a UUID on a text field answers 200 with `{"status":400,…}` in the body;
 *   `referanseDokumentfil` is absent after an upload; the token URL sits under `authorization_endpoint`.
 * - `standard`: the text of TG 1.1. `Location` on every create; PUT with `If-Match`; 422 for a second upload
 *   and an unreadable file; 404 for a missing file; UUID-looking search values work; `referanseDokumentfil`
 *   is set; the token URL is `token_endpoint`.
 * Both refuse everything the standard and the server agree on (discovery asked for as Noark JSON, code-list
 * rels in the standard's lower-case spelling, a `…/registrering/` link that leads to a list, …).
 */
export type ArchiveSimulatorMode = 'observed' | 'standard';
export const ARCHIVE_SIMULATOR_MODES: readonly ArchiveSimulatorMode[] = ['observed', 'standard'];

export interface ArchiveSimulatorOptions {
  port?: number;
  users?: { username: string; password: string }[];
  clients?: { clientId: string; clientSecret: string }[];
  mode?: ArchiveSimulatorMode;
  /** Code lists (by field name) this server does not offer, as some servers lack one. */
  omitCodeLists?: string[];
  /** Where the OIDC discovery document names the token URL (default: `authorization_endpoint` when observed). */
  tokenUrlKey?: 'token_endpoint' | 'authorization_endpoint';
}

interface Reply {
  status: number;
  json?: unknown;
  raw?: { content: Buffer; contentType: string };
  headers?: Record<string, string>;
}

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly headers: Record<string, string> = {},
    /** Answer with no body at all, as the real server does for 406. */
    readonly empty = false,
  ) {
    super(message);
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const AREA: Record<Kind, 'arkivstruktur' | 'sakarkiv'> = {
  arkiv: 'arkivstruktur',
  arkivdel: 'arkivstruktur',
  saksmappe: 'sakarkiv',
  journalpost: 'sakarkiv',
  korrespondansepartenhet: 'arkivstruktur',
  korrespondansepartperson: 'arkivstruktur',
  dokumentbeskrivelse: 'arkivstruktur',
  dokumentobjekt: 'arkivstruktur',
};

const SERVER_OWNED = new Set([
  'systemID',
  'opprettetDato',
  'opprettetAv',
  'mappeID',
  'saksaar',
  'sakssekvensnummer',
  'registreringsID',
  'journalaar',
  'journalsekvensnummer',
  'journalpostnummer',
  'journaldato',
  'dokumentnummer',
  'sjekksum',
  'sjekksumAlgoritme',
  'filstoerrelse',
  'format',
  'referanseDokumentfil',
]);

export async function startArchiveSimulator(opts: ArchiveSimulatorOptions = {}): Promise<ArchiveSimulator> {
  const users = opts.users ?? [{ username: 'admin', password: 'password' }];
  const clients = opts.clients ?? [{ clientId: 'postgang', clientSecret: 'secret' }];
  const mode = opts.mode ?? 'observed';
  const observed = mode === 'observed';
  const tokenUrlKey = opts.tokenUrlKey ?? (observed ? 'authorization_endpoint' : 'token_endpoint');
  const offered = (list: string) => !opts.omitCodeLists?.includes(list);
  const store = new ArchiveStore();
  const tokens = new Set<string>();
  const faults: (Fault & { count: number; skip: number })[] = [];
  const requests: ArchiveSimulator['requests'] = [];
  let origin = '';
  const api = () => `${origin}/noark5v5/api`;

  const arkiv = store.add('arkiv', {
    tittel: 'Postgang testarkiv',
    arkivstatus: { kode: 'O', kodenavn: 'Opprettet' },
  });
  const arkivdel = store.add(
    'arkivdel',
    { tittel: 'Sakarkiv', arkivdelstatus: { kode: 'A', kodenavn: 'Aktiv periode' } },
    arkiv.id,
  );

  const href = (e: Entity) => `${api()}/${AREA[e.kind]}/${e.kind}/${e.id}/`;
  const searchable = (path: string) => ({
    href: `${api()}/${path}{?$filter&$orderby&$top&$skip&$search}`,
    templated: true,
  });
  const link = (h: string) => ({ href: h });

  function links(e: Entity): Record<string, { href: string; templated?: boolean }> {
    const self = href(e);
    const l: Record<string, { href: string; templated?: boolean }> = { self: link(self) };
    const parent = e.parentId ? store.get(e.parentId) : undefined;
    switch (e.kind) {
      case 'arkiv':
        l[`${REL}arkivstruktur/arkiv/`] = link(self);
        break;
      case 'arkivdel':
        l[`${REL}arkivstruktur/arkivdel/`] = link(self);
        l[`${REL}sakarkiv/ny-saksmappe/`] = link(`${self}ny-saksmappe`);
        l[`${REL}sakarkiv/saksmappe/`] = link(`${self}saksmappe/`);
        break;
      case 'saksmappe':
        l[`${REL}sakarkiv/saksmappe/`] = link(self);
        l[`${REL}sakarkiv/ny-journalpost/`] = link(`${self}ny-journalpost`);
        l[`${REL}sakarkiv/journalpost/`] = link(`${self}journalpost/`);
        if (parent) l[`${REL}arkivstruktur/arkivdel/`] = link(href(parent));
        l[codeListRel('saksstatus')] = link(`${api()}/metadata/saksstatus/`);
        break;
      case 'journalpost':
        l[`${REL}sakarkiv/journalpost/`] = link(self);
        l[`${REL}arkivstruktur/registrering/`] = link(self);
        l[`${REL}arkivstruktur/ny-korrespondansepartenhet/`] = link(`${self}ny-korrespondansepartenhet`);
        l[`${REL}arkivstruktur/ny-korrespondansepartperson/`] = link(`${self}ny-korrespondansepartperson`);
        l[`${REL}arkivstruktur/korrespondansepart/`] = link(`${self}korrespondansepart/`);
        l[`${REL}arkivstruktur/ny-dokumentbeskrivelse/`] = link(`${self}ny-dokumentbeskrivelse`);
        l[`${REL}arkivstruktur/dokumentbeskrivelse/`] = link(`${self}dokumentbeskrivelse/`);
        if (parent) {
          l[`${REL}sakarkiv/saksmappe/`] = link(href(parent));
          l[`${REL}arkivstruktur/mappe/`] = link(href(parent));
        }
        break;
      case 'korrespondansepartenhet':
      case 'korrespondansepartperson':
        l[`${REL}arkivstruktur/${e.kind}/`] = link(self);
        if (parent) l[`${REL}arkivstruktur/registrering/`] = link(href(parent));
        break;
      case 'dokumentbeskrivelse':
        l[`${REL}arkivstruktur/dokumentbeskrivelse/`] = link(self);
        l[`${REL}arkivstruktur/ny-dokumentobjekt/`] = link(`${self}ny-dokumentobjekt`);
        l[`${REL}arkivstruktur/dokumentobjekt/`] = link(`${self}dokumentobjekt/`);
        // A dokumentbeskrivelse may belong to several registreringer: its own link, to a list (§1.4 point 12).
        l[`${REL}arkivstruktur/registrering/`] = link(`${self}registrering/`);
        break;
      case 'dokumentobjekt':
        l[`${REL}arkivstruktur/dokumentobjekt/`] = link(self);
        // One real server marks this link templated although it has no variables (§1.4 point 9).
        l[`${REL}arkivstruktur/fil/`] = { href: `${self}referanseFil/`, templated: true };
        if (parent) l[`${REL}arkivstruktur/dokumentbeskrivelse/`] = link(href(parent));
        break;
    }
    return l;
  }

  const view = (e: Entity) => ({ ...e.data, _links: links(e) });
  const etag = (e: Entity) => `"${e.id}-${e.version}"`;
  const object = (e: Entity, status = 200): Reply => ({ status, json: view(e), headers: { ETag: etag(e) } });

  function list(req: Request, entities: Entity[], selfHref: string, rel: string): Reply {
    let matching = entities;
    const filter = req.query.$filter;
    if (filter !== undefined) {
      if (typeof filter !== 'string') throw new HttpError(400, '$filter must be given once');
      const uuidOnText = observed ? uuidLiteralOnStringField(filter, UUID) : undefined;
      if (uuidOnText !== undefined)
        // The independent server's answer: HTTP 200, the error in the body, no results (§1.4 point 13).
        return {
          status: 200,
          json: {
            status: 400,
            message: `Parameter value [${uuidOnText}] did not match expected type [java.lang.String (n/a)]`,
          },
        };
      try {
        const predicate = parseFilter(filter);
        matching = matching.filter((e) => predicate(e.data));
      } catch (e) {
        if (e instanceof FilterError) throw new HttpError(400, `$filter: ${e.message}`);
        throw e;
      }
    }
    const top = Math.min(Number(req.query.$top ?? PAGE_SIZE) || PAGE_SIZE, PAGE_SIZE);
    const skip = Math.max(Number(req.query.$skip ?? 0) || 0, 0);
    const page = matching.slice(skip, skip + top);
    const l: Record<string, { href: string }> = { self: link(selfHref), [rel]: link(selfHref) };
    if (skip + top < matching.length) {
      const next = new URL(selfHref);
      if (typeof filter === 'string') next.searchParams.set('$filter', filter);
      next.searchParams.set('$top', String(top));
      next.searchParams.set('$skip', String(skip + top));
      l.next = link(next.toString());
    }
    const body: Record<string, unknown> = { count: matching.length, _links: l };
    if (page.length > 0) body.results = page.map(view);
    return { status: 200, json: body };
  }

  function authenticated(req: Request): boolean {
    const m = /^Bearer (.+)$/.exec(req.header('authorization') ?? '');
    return !!m && tokens.has(m[1]!);
  }
  function requireAuth(req: Request) {
    if (!authenticated(req))
      throw new HttpError(401, 'a valid bearer token is required', { 'WWW-Authenticate': 'Bearer' });
  }
  function requireJsonAccept(req: Request) {
    const accept = req.header('accept');
    if (accept && !/application\/vnd\.noark5\+json|application\/json|\*\/\*|application\/\*/.test(accept))
      throw new HttpError(406, `cannot produce ${accept}; this server speaks ${MEDIA_TYPE}`);
  }
  function jsonBody(req: Request): Record<string, unknown> {
    const type = req.header('content-type') ?? '';
    if (!type.toLowerCase().startsWith(MEDIA_TYPE))
      throw new HttpError(415, `Content-Type must be ${MEDIA_TYPE}`);
    const raw = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    let body: unknown;
    try {
      body = JSON.parse(raw.toString('utf8'));
    } catch {
      throw new HttpError(400, 'the body is not JSON');
    }
    if (!body || typeof body !== 'object' || Array.isArray(body))
      throw new HttpError(400, 'expected a JSON object');
    return body as Record<string, unknown>;
  }
  function entity(req: Request, ...kinds: Kind[]): Entity {
    const e = store.get(String(req.params.id), ...kinds);
    if (!e) throw new HttpError(404, 'no such object');
    return e;
  }

  function takeFault(method: string, kind: string): Fault | undefined {
    const i = faults.findIndex(
      (f) => (!f.kind || f.kind === kind) && (!f.method || f.method.toUpperCase() === method),
    );
    if (i < 0) return undefined;
    const f = faults[i]!;
    if (f.skip > 0) {
      f.skip -= 1;
      return undefined;
    }
    f.count -= 1;
    if (f.count <= 0) faults.splice(i, 1);
    return f;
  }

  /** OIDC discovery is plain JSON (§1.4 point 10): asked for as Noark JSON only, the server answers 406, empty. */
  function requirePlainJsonAccept(req: Request) {
    const accept = req.header('accept');
    if (accept && !/application\/json|\*\/\*|application\/\*/.test(accept))
      throw new HttpError(406, `cannot produce ${accept}`, {}, true);
  }

  function send(res: Response, reply: Reply) {
    res.status(reply.status).set(reply.headers ?? {});
    if (reply.raw) {
      res.set('Content-Type', reply.raw.contentType).end(reply.raw.content);
    } else if (reply.json !== undefined) {
      res.set('Content-Type', `${MEDIA_TYPE}; charset=utf-8`).end(JSON.stringify(reply.json));
    } else res.end();
  }

  const failure = (status: number, message: string, headers: Record<string, string> = {}): Reply => ({
    status,
    json: { status, message },
    headers,
  });

  /** Wraps a route: records it, applies faults, turns thrown errors into Noark error replies. */
  function route(
    kind: string | ((req: Request) => string),
    handler: (req: Request) => Reply | Promise<Reply>,
  ) {
    return async (req: Request, res: Response) => {
      const k = typeof kind === 'string' ? kind : kind(req);
      const fault = takeFault(req.method, k);
      if (fault?.delayMs) await new Promise((r) => setTimeout(r, fault.delayMs));
      let reply: Reply;
      if (fault?.status && !fault.afterCommit)
        reply = fault.inBody
          ? { status: 200, json: { status: fault.status, message: 'injected fault' } }
          : failure(fault.status, 'injected fault');
      else {
        try {
          reply = await handler(req);
        } catch (e) {
          if (e instanceof HttpError)
            reply = e.empty
              ? { status: e.status, headers: e.headers }
              : failure(e.status, e.message, e.headers);
          else if (e instanceof ValidationError) reply = failure(400, e.message);
          else reply = failure(500, (e as Error).message);
        }
        if (fault?.status && fault.afterCommit) reply = failure(fault.status, 'injected fault after commit');
      }
      requests.push({ method: req.method, path: req.path, status: reply.status, kind: k });
      send(res, reply);
    };
  }

  const app = express();
  app.disable('x-powered-by');
  app.use(express.raw({ type: () => true, limit: '200mb' }));
  const r = express.Router();

  // Root, login and discovery (§1.4 point 1).
  r.get(
    '/',
    route('root', (req) => {
      requireJsonAccept(req);
      const l: Record<string, { href: string }> = {
        [`${REL}login/oidc/`]: link(`${api()}/.well-known/openid-configuration`),
      };
      if (authenticated(req)) {
        l[`${REL}arkivstruktur/`] = link(`${api()}/arkivstruktur`);
        l[`${REL}sakarkiv/`] = link(`${api()}/sakarkiv`);
        l[`${REL}metadata/`] = link(`${api()}/metadata`);
        l[`${REL}admin/system/`] = link(`${api()}/admin/system/`);
      }
      return { status: 200, json: { _links: l } };
    }),
  );
  r.get(
    '/.well-known/openid-configuration',
    route('discovery', (req) => {
      requirePlainJsonAccept(req);
      return {
        status: 200,
        raw: {
          contentType: 'application/json',
          content: Buffer.from(
            JSON.stringify({
              issuer: `${origin}/noark5v5`,
              [tokenUrlKey]: `${origin}/noark5v5/oauth/token`,
              grant_types_supported: ['password', 'client_credentials'],
              token_endpoint_auth_methods_supported: ['client_secret_basic'],
            }),
          ),
        },
      };
    }),
  );

  r.get(
    '/admin/system/',
    route('navigate', (req) => {
      requireAuth(req);
      return {
        status: 200,
        json: {
          leverandoer: 'Postgang',
          produkt: 'Noark 5 TG simulator',
          versjon: '1',
          versjonsdato: '2026-01-01',
          protokollversjon: '1.1',
        },
      };
    }),
  );
  r.get(
    '/arkivstruktur',
    route('navigate', (req) => {
      requireAuth(req);
      requireJsonAccept(req);
      return {
        status: 200,
        json: {
          _links: {
            [`${REL}arkivstruktur/arkiv/`]: searchable('arkivstruktur/arkiv'),
            [`${REL}arkivstruktur/arkivdel/`]: searchable('arkivstruktur/arkivdel'),
            [`${REL}arkivstruktur/dokumentbeskrivelse/`]: searchable('arkivstruktur/dokumentbeskrivelse'),
            [`${REL}arkivstruktur/dokumentobjekt/`]: searchable('arkivstruktur/dokumentobjekt'),
          },
        },
      };
    }),
  );
  r.get(
    '/sakarkiv',
    route('navigate', (req) => {
      requireAuth(req);
      requireJsonAccept(req);
      return {
        status: 200,
        json: {
          _links: {
            [`${REL}sakarkiv/journalpost/`]: searchable('sakarkiv/journalpost'),
            [`${REL}sakarkiv/saksmappe/`]: searchable('sakarkiv/saksmappe'),
          },
        },
      };
    }),
  );
  r.get(
    '/metadata',
    route('navigate', (req) => {
      requireAuth(req);
      return {
        status: 200,
        json: {
          _links: Object.fromEntries(
            Object.keys(CODE_LISTS)
              .filter(offered)
              .map((name) => [codeListRel(name), link(`${api()}/metadata/${name.toLowerCase()}/`)]),
          ),
        },
      };
    }),
  );
  r.get(
    '/metadata/:list',
    route('metadata', (req) => {
      requireAuth(req);
      // Paths and rels are the standard's lower-case spellings, never the JSON field name (§1.4 point 11).
      const name = Object.keys(CODE_LISTS)
        .filter(offered)
        .find((n) => n.toLowerCase() === req.params.list);
      if (!name) throw new HttpError(404, 'no such code list');
      const codes = CODE_LISTS[name]!;
      const self = `${api()}/metadata/${name.toLowerCase()}/`;
      return {
        status: 200,
        json: {
          count: codes.length,
          results: codes.map((c) => ({ ...c, _links: { self: link(self + c.kode) } })),
          _links: { self: link(self) },
        },
      };
    }),
  );

  // Searches.
  const SEARCH: Record<string, Kind[]> = {
    'arkivstruktur/arkiv': ['arkiv'],
    'arkivstruktur/arkivdel': ['arkivdel'],
    'arkivstruktur/dokumentbeskrivelse': ['dokumentbeskrivelse'],
    'arkivstruktur/dokumentobjekt': ['dokumentobjekt'],
    'sakarkiv/saksmappe': ['saksmappe'],
    'sakarkiv/journalpost': ['journalpost'],
  };
  for (const [path, kinds] of Object.entries(SEARCH)) {
    r.get(
      `/${path}`,
      route(`search:${kinds[0]}`, (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        return list(req, store.all(...kinds), `${api()}/${path}`, `${REL}${path}/`);
      }),
    );
  }

  // Objects: read, update (PUT with ETag), no PATCH.
  r.get(
    '/:area/:kind/:id',
    route(
      (req) => `get:${String(req.params.kind)}`,
      (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        const e = entity(req);
        if (e.kind !== req.params.kind || AREA[e.kind] !== req.params.area)
          throw new HttpError(404, 'no such object');
        return object(e);
      },
    ),
  );
  r.put(
    '/:area/:kind/:id',
    route('update', (req) => {
      requireAuth(req);
      const e = entity(req);
      // The independent server wants a request header literally named ETag; the standard says If-Match.
      const given = observed ? req.header('etag') : (req.header('if-match') ?? req.header('etag'));
      if (!given)
        throw new HttpError(
          400,
          observed ? 'send the ETag of the last GET in an ETag header' : 'If-Match is required',
        );
      if (given !== etag(e)) throw new HttpError(409, 'the object was changed since it was read');
      const body = jsonBody(req);
      for (const [key, value] of Object.entries(body)) {
        if (key === '_links' || SERVER_OWNED.has(key)) continue;
        e.data[key] = key in CODE_LISTS ? store.code(key, value) : value;
      }
      e.version += 1;
      return object(e);
    }),
  );
  r.patch(
    '/:area/:kind/:id',
    route('update', () => {
      throw new HttpError(405, 'PATCH is not supported; PUT the whole object');
    }),
  );

  // Deleting (the client removes the objects a refused upload left behind, §1.3, §1.4 point 15): bottom-up
  // only, an object with children is refused.
  r.delete(
    '/:area/:kind/:id',
    route(
      (req) => `delete:${String(req.params.kind)}`,
      (req) => {
        requireAuth(req);
        const e = entity(req);
        if (e.kind !== req.params.kind || AREA[e.kind] !== req.params.area)
          throw new HttpError(404, 'no such object');
        if (e.kind === 'arkiv' || e.kind === 'arkivdel')
          throw new HttpError(403, `a ${e.kind} cannot be deleted through this interface`);
        if (store.hasChildren(e.id)) throw new HttpError(400, `the ${e.kind} still has objects under it`);
        store.remove(e.id);
        return { status: 204 };
      },
    ),
  );

  // A dokumentbeskrivelse's registreringer: always a list (§1.4 point 12).
  r.get(
    '/arkivstruktur/dokumentbeskrivelse/:id/registrering',
    route('list:registrering', (req) => {
      requireAuth(req);
      requireJsonAccept(req);
      const d = entity(req, 'dokumentbeskrivelse');
      const parents = d.parentId ? [store.get(d.parentId)!] : [];
      return list(req, parents, `${href(d)}registrering/`, `${REL}arkivstruktur/registrering/`);
    }),
  );

  // Child lists.
  const CHILDREN: Record<string, { parent: Kind; kinds: Kind[]; rel: string }> = {
    saksmappe: { parent: 'arkivdel', kinds: ['saksmappe'], rel: 'sakarkiv/saksmappe/' },
    journalpost: { parent: 'saksmappe', kinds: ['journalpost'], rel: 'sakarkiv/journalpost/' },
    korrespondansepart: {
      parent: 'journalpost',
      kinds: ['korrespondansepartenhet', 'korrespondansepartperson'],
      rel: 'arkivstruktur/korrespondansepart/',
    },
    dokumentbeskrivelse: {
      parent: 'journalpost',
      kinds: ['dokumentbeskrivelse'],
      rel: 'arkivstruktur/dokumentbeskrivelse/',
    },
    dokumentobjekt: {
      parent: 'dokumentbeskrivelse',
      kinds: ['dokumentobjekt'],
      rel: 'arkivstruktur/dokumentobjekt/',
    },
  };
  for (const [child, { parent, kinds, rel }] of Object.entries(CHILDREN)) {
    r.get(
      `/${AREA[parent]}/${parent}/:id/${child}`,
      route(`list:${child}`, (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        const p = entity(req, parent);
        return list(req, store.children(p.id, ...kinds), `${href(p)}${child}/`, `${REL}${rel}`);
      }),
    );
  }

  // Templates and creates (§1.4 point 2).
  interface Creator {
    parent: Kind;
    template: () => Record<string, unknown>;
    codeLists: string[];
    create: (parent: Entity, body: Record<string, unknown>) => Entity;
  }
  const code = (list: string, kode: string) => CODE_LISTS[list]!.find((c) => c.kode === kode)!;
  const CREATORS: Record<string, Creator> = {
    saksmappe: {
      parent: 'arkivdel',
      template: () => ({ saksstatus: code('saksstatus', 'B'), dokumentmedium: code('dokumentmedium', 'E') }),
      codeLists: ['saksstatus', 'dokumentmedium'],
      create: (p, b) => store.createSaksmappe(p.id, b),
    },
    journalpost: {
      parent: 'saksmappe',
      template: () => ({
        journalposttype: code('journalposttype', 'I'),
        journalstatus: code('journalstatus', 'J'),
      }),
      codeLists: ['journalposttype', 'journalstatus'],
      create: (p, b) => store.createJournalpost(p, b),
    },
    korrespondansepartenhet: {
      parent: 'journalpost',
      template: () => ({ korrespondanseparttype: code('korrespondanseparttype', 'EA') }),
      codeLists: ['korrespondanseparttype'],
      create: (p, b) => store.createKorrespondansepart(p, 'korrespondansepartenhet', b),
    },
    korrespondansepartperson: {
      parent: 'journalpost',
      template: () => ({ korrespondanseparttype: code('korrespondanseparttype', 'EA') }),
      codeLists: ['korrespondanseparttype'],
      create: (p, b) => store.createKorrespondansepart(p, 'korrespondansepartperson', b),
    },
    dokumentbeskrivelse: {
      parent: 'journalpost',
      template: () => ({
        dokumentstatus: code('dokumentstatus', 'B'),
        tilknyttetRegistreringSom: code('tilknyttetRegistreringSom', 'H'),
      }),
      codeLists: ['dokumenttype', 'dokumentstatus', 'tilknyttetRegistreringSom'],
      create: (p, b) => store.createDokumentbeskrivelse(p, b),
    },
    dokumentobjekt: {
      parent: 'dokumentbeskrivelse',
      template: () => ({ versjonsnummer: 1, variantformat: code('variantformat', 'A') }),
      codeLists: ['variantformat'],
      create: (p, b) => store.createDokumentobjekt(p, b),
    },
  };
  for (const [kind, c] of Object.entries(CREATORS)) {
    const path = `/${AREA[c.parent]}/${c.parent}/:id/ny-${kind}`;
    r.get(
      path,
      route(`template:${kind}`, (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        entity(req, c.parent);
        const l = Object.fromEntries(
          c.codeLists
            .filter(offered)
            .map((name) => [codeListRel(name), link(`${api()}/metadata/${name.toLowerCase()}/`)]),
        );
        return { status: 200, json: { ...c.template(), _links: l } };
      }),
    );
    r.post(
      path,
      route(`create:${kind}`, (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        const parent = entity(req, c.parent);
        const e = c.create(parent, jsonBody(req));
        const reply = object(e, 201);
        // The standard sends Location; the independent server sends none (§1.4 point 5).
        if (!observed) reply.headers = { ...reply.headers, Location: href(e) };
        return reply;
      }),
    );
  }

  // File upload and download (§1.3 "File upload", §1.4 points 7, 14–16).
  const filePath = '/arkivstruktur/dokumentobjekt/:id/referanseFil';
  // Where the standard says 422, the independent server answered 400.
  const unprocessable = observed ? 400 : 422;
  r.post(
    filePath,
    route('upload', async (req) => {
      requireAuth(req);
      requireJsonAccept(req);
      const e = entity(req, 'dokumentobjekt');
      if (e.file)
        throw new HttpError(unprocessable, 'the dokumentobjekt already has a file; it cannot be overwritten');
      const content = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
      if (content.length === 0) throw new HttpError(400, 'an empty file cannot be stored');
      const contentType = (req.header('content-type') ?? '').split(';')[0]!.trim().toLowerCase();
      if (!contentType) throw new HttpError(400, 'Content-Type is required');
      const d = e.data as { mimeType?: string; filstoerrelse?: number; sjekksum?: string };
      if (d.mimeType && d.mimeType.toLowerCase() !== contentType)
        throw new HttpError(400, `Content-Type ${contentType} does not match mimeType ${d.mimeType}`);
      if (d.filstoerrelse !== undefined && d.filstoerrelse !== content.length)
        throw new HttpError(400, `received ${content.length} bytes, filstoerrelse says ${d.filstoerrelse}`);
      const sha256 = createHash('sha256').update(content).digest('hex');
      if (d.sjekksum !== undefined && d.sjekksum.toLowerCase() !== sha256)
        throw new HttpError(400, 'sjekksum does not match the received bytes');
      // Every upload goes through a content parser (§1.4 point 14).
      const unreadable = await unreadableAs(contentType, content);
      if (unreadable) throw new HttpError(unprocessable, unreadable);
      e.file = { content, contentType, sha256 };
      Object.assign(e.data, {
        mimeType: contentType,
        filstoerrelse: content.length,
        sjekksum: sha256,
        sjekksumAlgoritme: 'SHA-256',
        // An unknown format code, as real servers return (§1.4 point 9).
        format: { kode: contentType === 'application/pdf' ? 'fmt/95' : 'UKJENT' },
        // Optional, and absent on the independent server even after an upload (§1.4 point 16).
        ...(!observed && { referanseDokumentfil: `${href(e)}referanseFil/` }),
      });
      e.version += 1;
      return object(e, 201);
    }),
  );
  r.get(
    filePath,
    route('download', (req) => {
      requireAuth(req);
      const e = entity(req, 'dokumentobjekt');
      // The standard's 404; the independent server's 400 with these words (§1.4 point 15).
      if (!e.file)
        throw observed
          ? new HttpError(400, 'Could not read file: null')
          : new HttpError(404, 'no file has been uploaded');
      return { status: 200, raw: { content: e.file.content, contentType: e.file.contentType } };
    }),
  );
  app.use('/noark5v5/api', r);

  // Token endpoint: password or client-credentials grant, client_secret_basic.
  app.post(
    '/noark5v5/oauth/token',
    route('token', (req) => {
      const basic = /^Basic (.+)$/.exec(req.header('authorization') ?? '');
      const [clientId, clientSecret] = basic
        ? Buffer.from(basic[1]!, 'base64').toString('utf8').split(/:(.*)/s)
        : [];
      if (!clients.some((c) => c.clientId === clientId && c.clientSecret === clientSecret))
        return failure(401, 'invalid_client', { 'WWW-Authenticate': 'Basic' });
      const form = new URLSearchParams(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '');
      const grant = form.get('grant_type');
      if (grant === 'password') {
        if (!users.some((u) => u.username === form.get('username') && u.password === form.get('password')))
          return { status: 400, json: { error: 'invalid_grant' } };
      } else if (grant !== 'client_credentials')
        return { status: 400, json: { error: 'unsupported_grant_type' } };
      const token = randomBytes(24).toString('base64url');
      tokens.add(token);
      return { status: 200, json: { access_token: token, token_type: 'bearer', expires_in: 3600 } };
    }),
  );

  // Inspection and fault injection for tests and for running the simulator alone.
  function inspectJournalpost(jp: Entity): InspectedJournalpost {
    const saksmappe = store.get(jp.parentId!)!;
    return {
      ...(jp.data as { systemID: string }),
      saksmappe: { systemID: saksmappe.id, mappeID: String(saksmappe.data.mappeID) },
      korrespondanseparter: store
        .children(jp.id, 'korrespondansepartenhet', 'korrespondansepartperson')
        .map((k) => ({ ...k.data })),
      dokumentbeskrivelser: store.children(jp.id, 'dokumentbeskrivelse').map((db) => ({
        ...db.data,
        dokumentobjekter: store.children(db.id, 'dokumentobjekt').map((o) => ({
          ...o.data,
          ...(o.file && {
            file: { sha256: o.file.sha256, size: o.file.content.length, contentType: o.file.contentType },
          }),
        })),
      })),
    };
  }
  const sim: ArchiveSimulator = {
    url: '',
    requests,
    saksmapper: () =>
      store.all('saksmappe').map((s) => ({
        ...(s.data as { systemID: string; mappeID: string }),
        journalposter: store.children(s.id, 'journalpost').length,
      })),
    journalposts: () => store.all('journalpost').map(inspectJournalpost),
    addSaksmappe: (tittel) => {
      const s = store.createSaksmappe(arkivdel.id, { tittel, saksstatus: { kode: 'B' } });
      return { systemID: s.id, mappeID: String(s.data.mappeID) };
    },
    injectFault: (fault) => faults.push({ ...fault, count: fault.count ?? 1, skip: fault.skip ?? 0 }),
    clearFaults: () => void faults.splice(0),
    expireTokens: () => tokens.clear(),
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((e) => (e ? reject(e) : resolve())));
    },
  };
  app.get('/admin/saksmapper', (_req, res) => void res.json(sim.saksmapper()));
  app.get('/admin/journalposter', (_req, res) => void res.json(sim.journalposts()));
  app.post('/admin/saksmapper', (req, res) => {
    const { tittel } = JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '{}') as {
      tittel?: string;
    };
    if (!tittel) return void res.status(400).json({ message: 'tittel is required' });
    res.status(201).json(sim.addSaksmappe(tittel));
  });
  app.post('/admin/faults', (req, res) => {
    sim.injectFault(JSON.parse(Buffer.isBuffer(req.body) ? req.body.toString('utf8') : '{}') as Fault);
    res.status(204).end();
  });
  app.post('/admin/expire-tokens', (_req, res) => {
    sim.expireTokens();
    res.status(204).end();
  });

  const server: Server = app.listen(opts.port ?? 0, '127.0.0.1');
  await new Promise((resolve, reject) => server.once('listening', resolve).once('error', reject));
  const address = server.address();
  if (!address || typeof address === 'string') throw new Error('archive simulator has no TCP address');
  origin = `http://127.0.0.1:${address.port}`;
  sim.url = `${api()}/`;
  return sim;
}
