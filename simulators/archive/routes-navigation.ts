// The sections under the root (arkivstruktur, sakarkiv, metadata, admin/system), the code lists under the
// standard's lower-case rels and paths (archive-noark5.md §1.4 points 3 and 11), and the `$filter` searches.
import type { Router } from 'express';
import type { SimContext } from './context';
import { HttpError, REL, requireJsonAccept } from './protocol';
import { link } from './representation';
import { CODE_LISTS, codeListRel, type Kind } from './store';

const SEARCH: Record<string, Kind[]> = {
  'arkivstruktur/arkiv': ['arkiv'],
  'arkivstruktur/arkivdel': ['arkivdel'],
  'arkivstruktur/dokumentbeskrivelse': ['dokumentbeskrivelse'],
  'arkivstruktur/dokumentobjekt': ['dokumentobjekt'],
  'sakarkiv/saksmappe': ['saksmappe'],
  'sakarkiv/journalpost': ['journalpost'],
};

export function navigationRoutes(r: Router, ctx: SimContext) {
  const { route, requireAuth, api, rep, store, offered } = ctx;
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
  // each package's entry point: a link to every collection it holds (the client looks its way by these rels)
  const packageRoot = (collections: string[]) =>
    route('navigate', (req) => {
      requireAuth(req);
      requireJsonAccept(req);
      return {
        status: 200,
        json: {
          _links: Object.fromEntries(collections.map((c) => [`${REL}${c}/`, rep.searchable(c)])),
        },
      };
    });
  r.get(
    '/arkivstruktur',
    packageRoot([
      'arkivstruktur/arkiv',
      'arkivstruktur/arkivdel',
      'arkivstruktur/dokumentbeskrivelse',
      'arkivstruktur/dokumentobjekt',
    ]),
  );
  r.get('/sakarkiv', packageRoot(['sakarkiv/journalpost', 'sakarkiv/saksmappe']));
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
              .map((field) => [codeListRel(field), rep.codeListLink(field)]),
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
      const field = Object.keys(CODE_LISTS)
        .filter(offered)
        .find((n) => n.toLowerCase() === req.params.list);
      if (!field) throw new HttpError(404, 'no such code list');
      const codes = CODE_LISTS[field]!;
      const self = rep.codeListLink(field).href;
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
  for (const [path, kinds] of Object.entries(SEARCH)) {
    r.get(
      `/${path}`,
      route(`search:${kinds[0]}`, (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        return rep.list(req, store.all(...kinds), `${api()}/${path}`, `${REL}${path}/`);
      }),
    );
  }
}
