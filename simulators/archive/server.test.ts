// The simulator is at least as strict as the real server in archive-noark5.md §1.4, driven here by raw HTTP,
// in each of its modes where the standard and the independent server differ.
import { createHash, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { samplePdf } from '../../test/support/pdf';
import { startArchiveSimulator, type ArchiveSimulatorMode } from './server';

const JSON_TYPE = 'application/vnd.noark5+json';
const REL = 'https://rel.arkivverket.no/noark5/v5/api/';
type Links = Record<string, { href: string; templated?: boolean }>;
type Obj = Record<string, unknown> & { _links: Links };
const href = (o: Obj, rel: string) => o._links[rel]!.href.replace(/\{[^}]*\}/g, '');
const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');

/** A simulator in `mode`, logged in, with a case and a journalpost to work under. */
async function session(mode: ArchiveSimulatorMode) {
  const sim = await startArchiveSimulator({ mode });
  let token = '';
  async function call(method: string, url: string, body?: unknown, headers: Record<string, string> = {}) {
    const res = await fetch(url, {
      method,
      headers: {
        Accept: JSON_TYPE,
        ...(token && { Authorization: `Bearer ${token}` }),
        ...(body !== undefined && { 'Content-Type': JSON_TYPE }),
        ...headers,
      },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      json: (text ? JSON.parse(text) : undefined) as Obj,
    };
  }
  const root = await call('GET', sim.url);
  const discovery = await call('GET', href(root.json, `${REL}login/oidc/`), undefined, {
    Accept: 'application/json',
  });
  const tokenUrl = String(discovery.json.token_endpoint ?? discovery.json.authorization_endpoint);
  const res = await fetch(tokenUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: `Basic ${Buffer.from('postgang:secret').toString('base64')}`,
    },
    body: 'grant_type=password&username=admin&password=password',
  });
  token = ((await res.json()) as { access_token: string }).access_token;
  const authed = await call('GET', sim.url);
  const arkivstruktur = (await call('GET', href(authed.json, `${REL}arkivstruktur/`))).json;
  const sakarkiv = (await call('GET', href(authed.json, `${REL}sakarkiv/`))).json;
  const list = await call('GET', href(arkivstruktur, `${REL}arkivstruktur/arkivdel/`));
  const arkivdel = (list.json.results as Obj[])[0]!;
  const saksmappe = (
    await call('POST', href(arkivdel, `${REL}sakarkiv/ny-saksmappe/`), {
      tittel: 'Sak',
      saksstatus: { kode: 'B', kodenavn: 'Under behandling' },
    })
  ).json;
  const journalpost = (
    await call('POST', href(saksmappe, `${REL}sakarkiv/ny-journalpost/`), {
      tittel: 'Brev',
      journalposttype: { kode: 'I' },
      journalstatus: { kode: 'M', kodenavn: 'Midlertidig registrering av' },
    })
  ).json;

  async function dokumentbeskrivelse(extra: Record<string, unknown> = {}) {
    return (
      await call('POST', href(journalpost, `${REL}arkivstruktur/ny-dokumentbeskrivelse/`), {
        tittel: 'Fil',
        dokumenttype: { kode: 'B', kodenavn: 'Brev' },
        dokumentstatus: { kode: 'F' },
        tilknyttetRegistreringSom: { kode: 'V', kodenavn: 'Vedlegg' },
        ...extra,
      })
    ).json;
  }
  async function dokumentobjekt(db: Obj, bytes?: Buffer) {
    return (
      await call('POST', href(db, `${REL}arkivstruktur/ny-dokumentobjekt/`), {
        versjonsnummer: 1,
        variantformat: { kode: 'A' },
        mimeType: 'application/pdf',
        ...(bytes && { filstoerrelse: bytes.length, sjekksum: sha256(bytes) }),
      })
    ).json;
  }
  const upload = (objekt: Obj, content: Buffer, type = 'application/pdf') =>
    fetch(href(objekt, `${REL}arkivstruktur/fil/`), {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': type, Accept: JSON_TYPE },
      body: new Uint8Array(content),
    });
  const download = (objekt: Obj) =>
    fetch(href(objekt, `${REL}arkivstruktur/fil/`), {
      headers: { Authorization: `Bearer ${token}`, Accept: '*/*' },
    });
  return {
    sim,
    call,
    root,
    arkivstruktur,
    sakarkiv,
    arkivdel,
    saksmappe,
    journalpost,
    dokumentbeskrivelse,
    dokumentobjekt,
    upload,
    download,
    setToken: (t: string) => {
      const saved = token;
      token = t;
      return saved;
    },
  };
}

let observed: Awaited<ReturnType<typeof session>>;
let standard: Awaited<ReturnType<typeof session>>;
beforeAll(async () => {
  observed = await session('observed');
  standard = await session('standard');
});
afterAll(async () => {
  await observed.sim.close();
  await standard.sim.close();
});
const both = () =>
  [
    ['observed', observed],
    ['standard', standard],
  ] as const;

describe('Noark 5 simulator, what the standard and the server agree on', () => {
  it('shows only the login rel without a token, and the sections with one', async () => {
    const s = observed;
    const saved = s.setToken('');
    const anonymous = await s.call('GET', s.sim.url);
    s.setToken(saved);
    expect(Object.keys(anonymous.json._links)).toEqual([`${REL}login/oidc/`]);
    const authed = await s.call('GET', s.sim.url);
    expect(authed.json._links).toHaveProperty([`${REL}arkivstruktur/`]);
    expect(authed.json._links).toHaveProperty([`${REL}sakarkiv/`]);
    expect(
      (await s.call('GET', href(authed.json, `${REL}sakarkiv/`), undefined, { Authorization: 'Bearer x' }))
        .status,
    ).toBe(401);
  });

  it('answers in application/vnd.noark5+json and refuses other request types', async () => {
    const ny = href(observed.arkivdel, `${REL}sakarkiv/ny-saksmappe/`);
    const template = await observed.call('GET', ny);
    expect(template.headers.get('content-type')).toMatch(/^application\/vnd\.noark5\+json/);
    expect(template.json._links).toHaveProperty([`${REL}metadata/saksstatus/`]);
    const res = await observed.call(
      'POST',
      ny,
      { tittel: 'x', saksstatus: { kode: 'B' } },
      { 'Content-Type': 'application/xml' },
    );
    expect(res.status).toBe(415);
  });

  it('requires saksstatus on a new saksmappe (a title alone gets 400), and creates with 201', async () => {
    const ny = href(observed.arkivdel, `${REL}sakarkiv/ny-saksmappe/`);
    expect((await observed.call('POST', ny, { tittel: 'Bare tittel' })).status).toBe(400);
    const created = await observed.call('POST', ny, { tittel: 'Med status', saksstatus: { kode: 'B' } });
    expect(created.status).toBe(201);
    expect(created.json.mappeID).toMatch(/^\d{4}\/\d+$/);
    expect(created.json._links.self!.href).toBe(created.json._links[`${REL}sakarkiv/saksmappe/`]!.href);
  });

  it('rejects a kodenavn that differs from its catalogue', async () => {
    const { call, journalpost, saksmappe } = observed;
    const ny = href(journalpost, `${REL}arkivstruktur/ny-dokumentbeskrivelse/`);
    const body = {
      tittel: 'Dok',
      dokumenttype: { kode: 'B', kodenavn: 'Brev' },
      dokumentstatus: { kode: 'F' },
      tilknyttetRegistreringSom: { kode: 'H', kodenavn: 'Hoveddokument' },
    };
    expect((await call('POST', ny, { ...body, dokumenttype: { kode: 'B' } })).status).toBe(400);
    expect(
      (await call('POST', ny, { ...body, tilknyttetRegistreringSom: { kode: 'H', kodenavn: 'Hoved' } }))
        .status,
    ).toBe(400);
    const jp = href(saksmappe, `${REL}sakarkiv/ny-journalpost/`);
    const status = await call('POST', jp, {
      tittel: 'x',
      journalposttype: { kode: 'I' },
      journalstatus: { kode: 'M', kodenavn: 'Midlertidig registrering' },
    });
    expect(status.status).toBe(400);
    expect((await call('POST', ny, body)).status).toBe(201);
  });

  it('accepts only date-times with an offset', async () => {
    const ny = href(observed.saksmappe, `${REL}sakarkiv/ny-journalpost/`);
    const base = { tittel: 'x', journalposttype: { kode: 'I' }, journalstatus: { kode: 'J' } };
    expect((await observed.call('POST', ny, { ...base, mottattDato: '2026-03-03' })).status).toBe(400);
    expect((await observed.call('POST', ny, { ...base, mottattDato: '2026-03-03T09:15:00' })).status).toBe(
      400,
    );
    expect(
      (await observed.call('POST', ny, { ...base, mottattDato: '2026-03-03T09:15:00+01:00' })).status,
    ).toBe(201);
  });

  it('verifies an upload against the pre-filled size and checksum', async () => {
    const bytes = await samplePdf('Vedlegg');
    const objekt = await observed.dokumentobjekt(await observed.dokumentbeskrivelse(), bytes);
    const tampered = Buffer.from(bytes);
    tampered.writeUInt8(tampered.readUInt8(tampered.length - 10) ^ 1, tampered.length - 10);
    expect((await observed.upload(objekt, tampered)).status).toBe(400);
    expect((await observed.upload(objekt, bytes, 'image/png')).status).toBe(400);
    const ok = await observed.upload(objekt, bytes);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      sjekksum: sha256(bytes),
      sjekksumAlgoritme: 'SHA-256',
      filstoerrelse: bytes.length,
    });
    const download = await observed.download(objekt);
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('finds objects with $filter and answers 400 to a filter it cannot read', async () => {
    const { call, sakarkiv, saksmappe } = observed;
    const search = sakarkiv._links[`${REL}sakarkiv/saksmappe/`]!;
    expect(search.templated).toBe(true);
    const base = href(sakarkiv, `${REL}sakarkiv/saksmappe/`);
    const found = await call(
      'GET',
      `${base}?$filter=${encodeURIComponent(`mappeID eq '${String(saksmappe.mappeID)}'`)}`,
    );
    expect(found.json.count).toBe(1);
    expect((found.json.results as Obj[])[0]!.systemID).toBe(saksmappe.systemID);
    // systemID is a UUID field: a UUID literal works on it in every mode.
    const byId = await call(
      'GET',
      `${base}?$filter=${encodeURIComponent(`systemID eq '${String(saksmappe.systemID)}'`)}`,
    );
    expect(byId.json.count).toBe(1);
    const none = await call('GET', `${base}?$filter=${encodeURIComponent("mappeID eq 'nope'")}`);
    expect(none.json).toMatchObject({ count: 0 });
    expect(none.json).not.toHaveProperty('results');
    expect((await call('GET', `${base}?$filter=${encodeURIComponent('contains(tittel)')}`)).status).toBe(400);
  });

  it('injects faults: the next N requests fail, or a change is committed and its answer lost', async () => {
    const { sim, call, arkivdel } = observed;
    sim.injectFault({ status: 503, count: 2 });
    expect((await call('GET', sim.url)).status).toBe(503);
    expect((await call('GET', sim.url)).status).toBe(503);
    expect((await call('GET', sim.url)).status).toBe(200);
    const before = sim.saksmapper().length;
    sim.injectFault({ kind: 'create:saksmappe', status: 500, afterCommit: true });
    const res = await call('POST', href(arkivdel, `${REL}sakarkiv/ny-saksmappe/`), {
      tittel: 'Tapt svar',
      saksstatus: { kode: 'B' },
    });
    expect(res.status).toBe(500);
    expect(sim.saksmapper()).toHaveLength(before + 1);
  });
});

describe('Noark 5 simulator, modes where the standard and the server differ', () => {
  it('names the token URL under authorization_endpoint (observed) or token_endpoint (standard) (§1.4 point 1)', async () => {
    for (const [mode, s] of both()) {
      const doc = await s.call('GET', href(s.root.json, `${REL}login/oidc/`), undefined, {
        Accept: 'application/json',
      });
      expect(Object.keys(doc.json), mode).toContain(
        mode === 'observed' ? 'authorization_endpoint' : 'token_endpoint',
      );
    }
  });

  it('sends Location after a create only in standard mode; self is always in the body (§1.4 point 5)', async () => {
    for (const [mode, s] of both()) {
      const created = await s.call('POST', href(s.arkivdel, `${REL}sakarkiv/ny-saksmappe/`), {
        tittel: 'Ny',
        saksstatus: { kode: 'B' },
      });
      expect(created.status).toBe(201);
      expect(created.headers.get('location'), mode).toBe(
        mode === 'observed' ? null : created.json._links.self!.href,
      );
    }
  });

  it('updates with PUT: observed wants a header named ETag (If-Match alone is 400), standard takes If-Match; stale 409, PATCH 405 (§1.4 point 6)', async () => {
    for (const [mode, s] of both()) {
      const self = s.saksmappe._links.self!.href;
      const current = await s.call('GET', self);
      const etag = current.headers.get('etag')!;
      const body = { ...current.json, tittel: `Nytt navn ${mode}` };
      const ifMatch = await s.call('PUT', self, body, { 'If-Match': etag });
      expect(ifMatch.status, mode).toBe(mode === 'observed' ? 400 : 200);
      const fresh = (await s.call('GET', self)).headers.get('etag')!;
      const updated = await s.call('PUT', self, body, { ETag: fresh, 'If-Match': fresh });
      expect(updated.status).toBe(200);
      expect(updated.json.tittel).toBe(`Nytt navn ${mode}`);
      expect((await s.call('PUT', self, body, { ETag: fresh, 'If-Match': fresh })).status).toBe(409);
      expect((await s.call('PATCH', self, { tittel: 'x' })).status).toBe(405);
    }
  });
});

describe('Noark 5 simulator refuses what a real server refuses (§1.4 points 10–17)', () => {
  it('point 10: OIDC discovery asked for as application/vnd.noark5+json gets 406 with an empty body; as JSON it is JSON', async () => {
    for (const [mode, s] of both()) {
      const discovery = href(s.root.json, `${REL}login/oidc/`);
      const noark = await s.call('GET', discovery);
      expect(noark.status, mode).toBe(406);
      expect(noark.text).toBe('');
      for (const accept of ['application/json', '*/*']) {
        const ok = await s.call('GET', discovery, undefined, { Accept: accept });
        expect(ok.status).toBe(200);
        expect(ok.headers.get('content-type')).toMatch(/^application\/json/);
      }
    }
  });

  it('point 11: code-list rels are the standard’s lower-case strings; a field-name rel leads nowhere; a missing kodenavn is 400 not-null', async () => {
    for (const [mode, s] of both()) {
      const ny = href(s.journalpost, `${REL}arkivstruktur/ny-dokumentbeskrivelse/`);
      const template = await s.call('GET', ny);
      expect(Object.keys(template.json._links), mode).toContain(`${REL}metadata/tilknyttetregistreringsom/`);
      expect(Object.keys(template.json._links)).not.toContain(`${REL}metadata/tilknyttetRegistreringSom/`);
      const metadataUrl = new URL('metadata/', s.sim.url).toString();
      expect((await s.call('GET', `${metadataUrl}tilknyttetRegistreringSom/`)).status).toBe(404);
      expect((await s.call('GET', `${metadataUrl}tilknyttetregistreringsom/`)).status).toBe(200);
      const bare = await s.call('POST', ny, {
        tittel: 'Dok',
        dokumenttype: { kode: 'B', kodenavn: 'Brev' },
        dokumentstatus: { kode: 'F' },
        tilknyttetRegistreringSom: { kode: 'H' },
      });
      expect(bare.status).toBe(400);
      expect(bare.json.message).toMatch(/not-null property .*associatedWithRecordAsCodeName/);
    }
  });

  it('point 12: a dokumentbeskrivelse’s registrering link leads to a list, one link per document', async () => {
    for (const [mode, s] of both()) {
      const a = await s.dokumentbeskrivelse();
      const b = await s.dokumentbeskrivelse();
      const linkA = href(a, `${REL}arkivstruktur/registrering/`);
      const linkB = href(b, `${REL}arkivstruktur/registrering/`);
      expect(linkA, mode).not.toBe(linkB);
      expect(linkA).not.toBe(s.journalpost._links.self!.href);
      const list = await s.call('GET', linkA);
      expect(list.json.count).toBe(1);
      expect((list.json.results as Obj[])[0]!.systemID).toBe(s.journalpost.systemID);
    }
  });

  it('point 13: observed, a $filter value shaped like a UUID on a text field answers 200 with status 400 in the body; a prefixed key works', async () => {
    const key = randomUUID();
    for (const [mode, s] of both()) {
      await s.dokumentbeskrivelse({ eksternReferanse: key });
      await s.dokumentbeskrivelse({ eksternReferanse: `svarinn:${key}` });
      const search = href(s.arkivstruktur, `${REL}arkivstruktur/dokumentbeskrivelse/`);
      const bare = await s.call(
        'GET',
        `${search}?$filter=${encodeURIComponent(`eksternReferanse eq '${key}'`)}`,
      );
      expect(bare.status, mode).toBe(200);
      if (mode === 'observed') {
        expect(bare.json).toMatchObject({
          status: 400,
          message: expect.stringMatching(/did not match expected type/),
        });
        expect(bare.json).not.toHaveProperty('results');
      } else expect(bare.json.count).toBe(1);
      const prefixed = await s.call(
        'GET',
        `${search}?$filter=${encodeURIComponent(`eksternReferanse eq 'svarinn:${key}'`)}`,
      );
      expect(prefixed.json.count).toBe(1);
    }
  });

  it('point 14: a file declared as PDF that is not one is refused (observed 400 from the PDF parser, standard 422); a real PDF is stored', async () => {
    for (const [mode, s] of both()) {
      const objekt = await s.dokumentobjekt(await s.dokumentbeskrivelse());
      const fake = await s.upload(objekt, Buffer.from('%PDF-1.4\n% demo letter\n%%EOF\n'));
      expect(fake.status, mode).toBe(mode === 'observed' ? 400 : 422);
      expect(((await fake.json()) as { message: string }).message).toMatch(/PDFParser/);
      expect((await s.upload(objekt, await samplePdf('Ekte'))).status).toBe(201);
    }
  });

  it('point 15: downloading a dokumentobjekt without a file is 400 "Could not read file: null" (observed) or 404; its orphans can be deleted bottom-up', async () => {
    for (const [mode, s] of both()) {
      const db = await s.dokumentbeskrivelse();
      const objekt = await s.dokumentobjekt(db);
      const res = await s.download(objekt);
      expect(res.status, mode).toBe(mode === 'observed' ? 400 : 404);
      if (mode === 'observed')
        expect(((await res.json()) as { message: string }).message).toBe('Could not read file: null');
      expect((await s.call('DELETE', db._links.self!.href)).status).toBe(400);
      expect((await s.call('DELETE', objekt._links.self!.href)).status).toBe(204);
      expect((await s.call('DELETE', db._links.self!.href)).status).toBe(204);
      expect((await s.call('GET', db._links.self!.href)).status).toBe(404);
    }
  });

  it('point 16: observed, referanseDokumentfil is absent after an upload, and a second upload is refused (400; standard 422)', async () => {
    for (const [mode, s] of both()) {
      const bytes = await samplePdf('Hoveddokument');
      const objekt = await s.dokumentobjekt(await s.dokumentbeskrivelse(), bytes);
      const stored = (await (await s.upload(objekt, bytes)).json()) as Record<string, unknown>;
      if (mode === 'observed') expect(stored).not.toHaveProperty('referanseDokumentfil');
      else expect(stored).toHaveProperty('referanseDokumentfil');
      expect((await s.upload(objekt, bytes)).status, mode).toBe(mode === 'observed' ? 400 : 422);
    }
  });

  it('point 17: a korrespondansepart needs its name, and takes an organisation number or a national id only in its own kind', async () => {
    for (const [mode, s] of both()) {
      const enhet = href(s.journalpost, `${REL}arkivstruktur/ny-korrespondansepartenhet/`);
      const person = href(s.journalpost, `${REL}arkivstruktur/ny-korrespondansepartperson/`);
      const ea = { kode: 'EA', kodenavn: 'Avsender' };
      expect((await s.call('POST', enhet, { korrespondanseparttype: ea })).status, mode).toBe(400);
      // a national id given as an organisation's number, and an organisation number as a person's id
      const wrongKind = [
        [enhet, { navn: 'Kari Nordmann', enhetsidentifikator: { organisasjonsnummer: '01019010046' } }],
        [person, { navn: 'Eksempel Bygg AS', personidentifikator: { foedselsnummer: '999888777' } }],
      ] as const;
      for (const [at, party] of wrongKind) {
        expect((await s.call('POST', at, { korrespondanseparttype: ea, ...party })).status, mode).toBe(400);
      }
      expect(
        (await s.call('POST', enhet, { korrespondanseparttype: ea, navn: 'Storevik kommune' })).status,
      ).toBe(201);
    }
  });
});
