// Noark 5 Tjenestegrensesnitt simulator (archive-noark5.md §1, with the behaviour of a real server in §1.4):
// OAuth2 login discovered through the OIDC rel, HATEOAS `_links` keyed by relation URL from the root,
// templates behind every `ny-*` rel, the server's own code lists, strict validation on create, file upload
// with size, checksum and content verification, `$filter` search, ETag-checked PUT, bottom-up DELETE, fault
// injection and inspection. Where a real server and the standard differ, `mode` picks either.
//
// The parts: protocol.ts (replies, errors, faults, request checks), representation.ts (hrefs, links, lists),
// auth.ts (root, discovery, tokens), routes-navigation.ts (sections, code lists, searches), routes-objects.ts
// (read, update, delete, child lists), routes-create.ts (templates, creates), routes-files.ts (upload,
// download), store.ts (the archive and its validation rules), odata.ts ($filter), file-check.ts (parsing).
import express, { type Request } from 'express';
import type { Server } from 'node:http';
import { createAuth } from './auth';
import type { SimContext } from './context';
import { Faults, HttpError, routeWith, type Fault, type RecordedRequest } from './protocol';
import { representation } from './representation';
import { createRoutes } from './routes-create';
import { fileRoutes } from './routes-files';
import { navigationRoutes } from './routes-navigation';
import { objectRoutes } from './routes-objects';
import { ArchiveStore, type Entity, type Kind } from './store';

export type { Fault } from './protocol';

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
  requests: RecordedRequest[];
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

export async function startArchiveSimulator(opts: ArchiveSimulatorOptions = {}): Promise<ArchiveSimulator> {
  const observed = (opts.mode ?? 'observed') === 'observed';
  const store = new ArchiveStore();
  const faults = new Faults();
  const requests: RecordedRequest[] = [];
  const auth = createAuth({
    users: opts.users ?? [{ username: 'admin', password: 'password' }],
    clients: opts.clients ?? [{ clientId: 'postgang', clientSecret: 'secret' }],
    tokenUrlKey: opts.tokenUrlKey ?? (observed ? 'authorization_endpoint' : 'token_endpoint'),
  });
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

  const ctx: SimContext = {
    store,
    observed,
    offered: (field) => !opts.omitCodeLists?.includes(field),
    api,
    rep: representation(store, api, observed),
    route: routeWith(faults, requests),
    requireAuth: auth.requireAuth,
    entity(req: Request, ...kinds: Kind[]): Entity {
      const e = store.get(String(req.params.id), ...kinds);
      if (!e) throw new HttpError(404, 'no such object');
      return e;
    },
  };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.raw({ type: () => true, limit: '200mb' }));
  const r = express.Router();
  auth.routes(r, app, { api, route: ctx.route, origin: () => origin });
  navigationRoutes(r, ctx);
  createRoutes(r, ctx);
  fileRoutes(r, ctx);
  objectRoutes(r, ctx);
  app.use('/noark5v5/api', r);

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
    injectFault: (fault) => faults.inject(fault),
    clearFaults: () => faults.clear(),
    expireTokens: () => auth.expireTokens(),
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
