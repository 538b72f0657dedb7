// How the simulator's objects and lists look on the wire: hrefs in the server's own shape, `_links` keyed by
// relation (archive-noark5.md §1.1, §1.4 points 9 and 12), ETags, and paged `$filter` lists.
import type { Request } from 'express';
import { FilterError, parseFilter, uuidLiteralOnStringField } from './odata';
import { HttpError, REL, UUID, type Reply } from './protocol';
import { codeListRel, type ArchiveStore, type Entity, type Kind } from './store';

const PAGE_SIZE = 10;

export type Links = Record<string, { href: string; templated?: boolean }>;

export const AREA: Record<Kind, 'arkivstruktur' | 'sakarkiv'> = {
  arkiv: 'arkivstruktur',
  arkivdel: 'arkivstruktur',
  saksmappe: 'sakarkiv',
  journalpost: 'sakarkiv',
  korrespondansepartenhet: 'arkivstruktur',
  korrespondansepartperson: 'arkivstruktur',
  dokumentbeskrivelse: 'arkivstruktur',
  dokumentobjekt: 'arkivstruktur',
};

export const link = (href: string) => ({ href });

export type Representation = ReturnType<typeof representation>;

export function representation(store: ArchiveStore, api: () => string, observed: boolean) {
  const href = (e: Entity) => `${api()}/${AREA[e.kind]}/${e.kind}/${e.id}/`;
  const searchable = (path: string) => ({
    href: `${api()}/${path}{?$filter&$orderby&$top&$skip&$search}`,
    templated: true,
  });
  const codeListLink = (field: string) => link(`${api()}/metadata/${field.toLowerCase()}/`);

  function links(e: Entity): Links {
    const self = href(e);
    const l: Links = { self: link(self) };
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
        l[codeListRel('saksstatus')] = codeListLink('saksstatus');
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

  /** A list answer: `{count, results, _links}` (no `results` when empty), `$filter`ed, 10 to a page. */
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
    const l: Links = { self: link(selfHref), [rel]: link(selfHref) };
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

  return { href, searchable, codeListLink, links, view, etag, object, list };
}
