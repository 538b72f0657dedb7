// Templates and creates (archive-noark5.md §1.3, §1.4 points 2 and 5): `GET ny-*` answers a pre-filled
// template that links to its code lists; `POST` to the same href validates strictly (store.ts) and answers
// 201 with the whole object (with `Location` only in `standard` mode).
import type { Router } from 'express';
import type { SimContext } from './context';
import { jsonBody, requireJsonAccept } from './protocol';
import { AREA } from './representation';
import { CODE_LISTS, codeListRel, type ArchiveStore, type Entity, type Kind } from './store';

interface Creator {
  parent: Kind;
  template: () => Record<string, unknown>;
  /** The fields whose code lists the template links to. */
  codeLists: string[];
  create: (store: ArchiveStore, parent: Entity, body: Record<string, unknown>) => Entity;
}

const code = (list: string, kode: string) => CODE_LISTS[list]!.find((c) => c.kode === kode)!;

const CREATORS: Record<string, Creator> = {
  saksmappe: {
    parent: 'arkivdel',
    template: () => ({ saksstatus: code('saksstatus', 'B'), dokumentmedium: code('dokumentmedium', 'E') }),
    codeLists: ['saksstatus', 'dokumentmedium'],
    create: (s, p, b) => s.createSaksmappe(p.id, b),
  },
  journalpost: {
    parent: 'saksmappe',
    template: () => ({
      journalposttype: code('journalposttype', 'I'),
      journalstatus: code('journalstatus', 'J'),
    }),
    codeLists: ['journalposttype', 'journalstatus'],
    create: (s, p, b) => s.createJournalpost(p, b),
  },
  korrespondansepartenhet: {
    parent: 'journalpost',
    template: () => ({ korrespondanseparttype: code('korrespondanseparttype', 'EA') }),
    codeLists: ['korrespondanseparttype'],
    create: (s, p, b) => s.createKorrespondansepart(p, 'korrespondansepartenhet', b),
  },
  korrespondansepartperson: {
    parent: 'journalpost',
    template: () => ({ korrespondanseparttype: code('korrespondanseparttype', 'EA') }),
    codeLists: ['korrespondanseparttype'],
    create: (s, p, b) => s.createKorrespondansepart(p, 'korrespondansepartperson', b),
  },
  dokumentbeskrivelse: {
    parent: 'journalpost',
    template: () => ({
      dokumentstatus: code('dokumentstatus', 'B'),
      tilknyttetRegistreringSom: code('tilknyttetRegistreringSom', 'H'),
    }),
    codeLists: ['dokumenttype', 'dokumentstatus', 'tilknyttetRegistreringSom'],
    create: (s, p, b) => s.createDokumentbeskrivelse(p, b),
  },
  dokumentobjekt: {
    parent: 'dokumentbeskrivelse',
    template: () => ({ versjonsnummer: 1, variantformat: code('variantformat', 'A') }),
    codeLists: ['variantformat'],
    create: (s, p, b) => s.createDokumentobjekt(p, b),
  },
};

export function createRoutes(r: Router, ctx: SimContext) {
  const { route, requireAuth, entity, rep, store, observed, offered } = ctx;
  for (const [kind, c] of Object.entries(CREATORS)) {
    const path = `/${AREA[c.parent]}/${c.parent}/:id/ny-${kind}`;
    r.get(
      path,
      route(`template:${kind}`, (req) => {
        requireAuth(req);
        requireJsonAccept(req);
        entity(req, c.parent);
        const l = Object.fromEntries(
          c.codeLists.filter(offered).map((field) => [codeListRel(field), rep.codeListLink(field)]),
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
        const e = c.create(store, parent, jsonBody(req));
        const reply = rep.object(e, 201);
        // The standard sends Location; the independent server sends none (§1.4 point 5).
        if (!observed) reply.headers = { ...reply.headers, Location: rep.href(e) };
        return reply;
      }),
    );
  }
}
