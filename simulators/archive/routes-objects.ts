// One object and its lists: read, update with PUT and the ETag (archive-noark5.md §1.4 point 6; no PATCH),
// delete bottom-up (a client removes what a refused upload left behind, §1.3, §1.4 point 15), a
// dokumentbeskrivelse's registreringer as a list (§1.4 point 12), and each object's child lists.
import type { Router } from 'express';
import type { SimContext } from './context';
import { HttpError, REL, jsonBody, requireJsonAccept } from './protocol';
import { AREA } from './representation';
import { CODE_LISTS, type Kind } from './store';

/** Fields the server assigns; a PUT cannot change them. */
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

export function objectRoutes(r: Router, ctx: SimContext) {
  const { route, requireAuth, entity, rep, store, observed } = ctx;
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
        return rep.object(e);
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
      if (given !== rep.etag(e)) throw new HttpError(409, 'the object was changed since it was read');
      const body = jsonBody(req);
      for (const [key, value] of Object.entries(body)) {
        if (key === '_links' || SERVER_OWNED.has(key)) continue;
        e.data[key] = key in CODE_LISTS ? store.code(key, value) : value;
      }
      e.version += 1;
      return rep.object(e);
    }),
  );
  r.patch(
    '/:area/:kind/:id',
    route('update', () => {
      throw new HttpError(405, 'PATCH is not supported; PUT the whole object');
    }),
  );
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

  r.get(
    '/arkivstruktur/dokumentbeskrivelse/:id/registrering',
    route('list:registrering', (req) => {
      requireAuth(req);
      requireJsonAccept(req);
      const d = entity(req, 'dokumentbeskrivelse');
      const parents = d.parentId ? [store.get(d.parentId)!] : [];
      return rep.list(req, parents, `${rep.href(d)}registrering/`, `${REL}arkivstruktur/registrering/`);
    }),
  );
  for (const [child, { parent, kinds, rel }] of Object.entries(CHILDREN)) {
    r.get(
      `/${AREA[parent]}/${parent}/:id/${child}`,
      route(`list:${child}`, (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        const p = entity(req, parent);
        return rep.list(req, store.children(p.id, ...kinds), `${rep.href(p)}${child}/`, `${REL}${rel}`);
      }),
    );
  }
}
