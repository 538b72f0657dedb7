// The simulator is at least as strict as the real server in archive-noark5.md §1.4, driven here by raw HTTP.
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startArchiveSimulator, type ArchiveSimulator } from './server';

const JSON_TYPE = 'application/vnd.noark5+json';
const REL = 'https://rel.arkivverket.no/noark5/v5/api/';
type Links = Record<string, { href: string; templated?: boolean }>;
type Obj = Record<string, unknown> & { _links: Links };

let sim: ArchiveSimulator;
let token: string;

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
  return { status: res.status, headers: res.headers, json: (text ? JSON.parse(text) : undefined) as Obj };
}
const href = (o: Obj, rel: string) => o._links[rel]!.href.replace(/\{[^}]*\}/g, '');

let arkivdel: Obj;
let saksmappe: Obj;
let journalpost: Obj;

beforeAll(async () => {
  sim = await startArchiveSimulator();
  token = '';
  const root = await call('GET', sim.url);
  const discovery = await call('GET', href(root.json, `${REL}login/oidc/`));
  const tokenUrl = String(discovery.json.authorization_endpoint);
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
  const arkivstruktur = await call('GET', href(authed.json, `${REL}arkivstruktur/`));
  const list = await call('GET', href(arkivstruktur.json, `${REL}arkivstruktur/arkivdel/`));
  arkivdel = (list.json.results as Obj[])[0]!;
  const ny = href(arkivdel, `${REL}sakarkiv/ny-saksmappe/`);
  saksmappe = (
    await call('POST', ny, { tittel: 'Sak', saksstatus: { kode: 'B', kodenavn: 'Under behandling' } })
  ).json;
  journalpost = (
    await call('POST', href(saksmappe, `${REL}sakarkiv/ny-journalpost/`), {
      tittel: 'Brev',
      journalposttype: { kode: 'I' },
      journalstatus: { kode: 'M', kodenavn: 'Midlertidig registrering av' },
    })
  ).json;
});
afterAll(() => sim.close());

describe('Noark 5 simulator', () => {
  it('shows only the login rel without a token, and the sections with one', async () => {
    const saved = token;
    token = '';
    const anonymous = await call('GET', sim.url);
    token = saved;
    expect(Object.keys(anonymous.json._links)).toEqual([`${REL}login/oidc/`]);
    const authed = await call('GET', sim.url);
    expect(authed.json._links).toHaveProperty([`${REL}arkivstruktur/`]);
    expect(authed.json._links).toHaveProperty([`${REL}sakarkiv/`]);
    expect(
      (await call('GET', href(authed.json, `${REL}sakarkiv/`), undefined, { Authorization: 'Bearer x' }))
        .status,
    ).toBe(401);
  });

  it('answers in application/vnd.noark5+json and refuses other request types', async () => {
    const ny = href(arkivdel, `${REL}sakarkiv/ny-saksmappe/`);
    const template = await call('GET', ny);
    expect(template.headers.get('content-type')).toMatch(/^application\/vnd\.noark5\+json/);
    expect(template.json._links).toHaveProperty([`${REL}metadata/saksstatus/`]);
    const res = await call(
      'POST',
      ny,
      { tittel: 'x', saksstatus: { kode: 'B' } },
      { 'Content-Type': 'application/xml' },
    );
    expect(res.status).toBe(415);
  });

  it('requires saksstatus on a new saksmappe (a title alone gets 400), and creates with 201 without Location', async () => {
    const ny = href(arkivdel, `${REL}sakarkiv/ny-saksmappe/`);
    expect((await call('POST', ny, { tittel: 'Bare tittel' })).status).toBe(400);
    const created = await call('POST', ny, { tittel: 'Med status', saksstatus: { kode: 'B' } });
    expect(created.status).toBe(201);
    expect(created.headers.get('location')).toBeNull();
    expect(created.json.mappeID).toMatch(/^\d{4}\/\d+$/);
    expect(created.json._links.self!.href).toBe(created.json._links[`${REL}sakarkiv/saksmappe/`]!.href);
  });

  it('rejects a kodenavn that differs from its catalogue, and a missing one where the list requires it', async () => {
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
    const ny = href(saksmappe, `${REL}sakarkiv/ny-journalpost/`);
    const base = { tittel: 'x', journalposttype: { kode: 'I' }, journalstatus: { kode: 'J' } };
    expect((await call('POST', ny, { ...base, mottattDato: '2026-03-03' })).status).toBe(400);
    expect((await call('POST', ny, { ...base, mottattDato: '2026-03-03T09:15:00' })).status).toBe(400);
    expect((await call('POST', ny, { ...base, mottattDato: '2026-03-03T09:15:00+01:00' })).status).toBe(201);
  });

  it('verifies an upload against the pre-filled size and checksum, and never overwrites a file', async () => {
    const db = (
      await call('POST', href(journalpost, `${REL}arkivstruktur/ny-dokumentbeskrivelse/`), {
        tittel: 'Fil',
        dokumenttype: { kode: 'B', kodenavn: 'Brev' },
        dokumentstatus: { kode: 'F' },
        tilknyttetRegistreringSom: { kode: 'V', kodenavn: 'Vedlegg' },
      })
    ).json;
    const bytes = Buffer.from('%PDF-1.7 test');
    const sum = createHash('sha256').update(bytes).digest('hex');
    const objekt = (
      await call('POST', href(db, `${REL}arkivstruktur/ny-dokumentobjekt/`), {
        versjonsnummer: 1,
        variantformat: { kode: 'A' },
        mimeType: 'application/pdf',
        filstoerrelse: bytes.length,
        sjekksum: sum,
      })
    ).json;
    const fil = href(objekt, `${REL}arkivstruktur/fil/`);
    const upload = (content: Buffer, type = 'application/pdf') =>
      fetch(fil, {
        method: 'POST',
        headers: { Authorization: `Bearer ${token}`, 'Content-Type': type, Accept: JSON_TYPE },
        body: new Uint8Array(content),
      });
    expect((await upload(Buffer.from('%PDF-1.7 tesT'))).status).toBe(400);
    expect((await upload(bytes, 'image/png')).status).toBe(400);
    const ok = await upload(bytes);
    expect(ok.status).toBe(201);
    expect(await ok.json()).toMatchObject({
      sjekksum: sum,
      sjekksumAlgoritme: 'SHA-256',
      filstoerrelse: bytes.length,
    });
    expect((await upload(bytes)).status).toBe(400);
    const download = await fetch(fil, { headers: { Authorization: `Bearer ${token}`, Accept: '*/*' } });
    expect(Buffer.from(await download.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('finds objects with $filter and answers 400 to a filter it cannot read', async () => {
    const sakarkiv = await call('GET', href((await call('GET', sim.url)).json, `${REL}sakarkiv/`));
    const search = sakarkiv.json._links[`${REL}sakarkiv/saksmappe/`]!;
    expect(search.templated).toBe(true);
    const url = `${href(sakarkiv.json, `${REL}sakarkiv/saksmappe/`)}?$filter=${encodeURIComponent(`mappeID eq '${String(saksmappe.mappeID)}'`)}`;
    const found = await call('GET', url);
    expect(found.json.count).toBe(1);
    expect((found.json.results as Obj[])[0]!.systemID).toBe(saksmappe.systemID);
    const none = await call(
      'GET',
      `${href(sakarkiv.json, `${REL}sakarkiv/saksmappe/`)}?$filter=${encodeURIComponent("mappeID eq 'nope'")}`,
    );
    expect(none.json).toMatchObject({ count: 0 });
    expect(none.json).not.toHaveProperty('results');
    const bad = await call(
      'GET',
      `${href(sakarkiv.json, `${REL}sakarkiv/saksmappe/`)}?$filter=${encodeURIComponent('contains(tittel)')}`,
    );
    expect(bad.status).toBe(400);
  });

  it('updates with PUT and the ETag in a header named ETag; If-Match alone is 400, a stale ETag 409, PATCH 405', async () => {
    const self = saksmappe._links.self!.href;
    const current = await call('GET', self);
    const etag = current.headers.get('etag')!;
    const body = { ...current.json, tittel: 'Nytt navn' };
    expect((await call('PUT', self, body, { 'If-Match': etag })).status).toBe(400);
    const updated = await call('PUT', self, body, { ETag: etag, 'If-Match': etag });
    expect(updated.status).toBe(200);
    expect(updated.json.tittel).toBe('Nytt navn');
    expect((await call('PUT', self, body, { ETag: etag })).status).toBe(409);
    expect((await call('PATCH', self, { tittel: 'x' })).status).toBe(405);
  });

  it('injects faults: the next N requests fail, or a change is committed and its answer lost', async () => {
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
