// The simulator checked without our client: its downloads decrypt with `openssl cms -decrypt`, carry the
// byte-level features of real SvarUt files (svarinn-api.md §4.2.1), and its HTTP surface (mottaker API and
// admin API) answers as §11 describes.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { unzipSync } from 'fflate';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSvarInnSimulator, type SvarInnSimulator } from './server';
import { selfSignedKeyPair } from '../../test/support/openssl';

let dir: string;
let sim: SvarInnSimulator;
let auth: string;
const ORGNR = '910077473';

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'svarinn-sim-'));
  selfSignedKeyPair(join(dir, 'privatekey.pem'), join(dir, 'public.pem'), '99999', '/CN=svarinn-sim');
  sim = await startSvarInnSimulator();
  // The receiving system, with the certificate uploaded through the admin API as KS's users upload it.
  const r = await admin('POST', '/receiving-systems', {
    password: 'hemmelig',
    certificatePem: readFileSync(join(dir, 'public.pem'), 'utf8'),
    routes: [{ orgnr: ORGNR }],
  });
  expect(r.status).toBe(201);
  auth = `Basic ${Buffer.from(`${String(r.json.id)}:hemmelig`).toString('base64')}`;
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function admin(method: string, path: string, body?: unknown) {
  const res = await fetch(`${sim.url}/admin${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** Downloads with plain fetch and decrypts with OpenSSL. */
async function downloadWithOpenssl(id: string): Promise<{ cms: Buffer; plain: Buffer; headers: Headers }> {
  const res = await fetch(`${sim.url}/tjenester/svarinn/forsendelse/${id}`, {
    headers: { Authorization: auth },
  });
  expect(res.status).toBe(200);
  const cms = Buffer.from(await res.arrayBuffer());
  const file = join(dir, `${id}.cms`);
  writeFileSync(file, cms);
  execFileSync('openssl', [
    'cms',
    '-decrypt',
    '-inform',
    'DER',
    '-inkey',
    join(dir, 'privatekey.pem'),
    '-in',
    file,
    '-out',
    `${file}.out`,
  ]);
  return { cms, plain: readFileSync(`${file}.out`), headers: res.headers };
}

describe('SvarInn simulator', () => {
  it('refuses a second registration of the same routing entry', async () => {
    const dup = await admin('POST', '/receiving-systems', {
      publicKeyPem: generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey.export({
        type: 'spki',
        format: 'pem',
      }),
      routes: [{ orgnr: ORGNR }],
    });
    expect(dup.status).toBe(400);
    expect(String(dup.json.message)).toMatch(/already routed/);
  });

  it('answers 401 with the KS realm without credentials', async () => {
    const res = await fetch(`${sim.url}/tjenester/svarinn/mottaker/hentNyeForsendelser`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Basic realm="KS Svarut mottaker login"');
  });

  it('serves an item injected over HTTP as SvarUt would: V1 JSON, then a BER CMS that OpenSSL decrypts to a Java-style ZIP', async () => {
    const big = randomBytes(3000); // incompressible, so the ciphertext spans several chunks
    const injected = await admin('POST', '/forsendelser', {
      tittel: 'Byggesøknad',
      orgnr: ORGNR,
      files: [
        {
          filnavn: 'søknad.pdf',
          mimetype: 'application/pdf',
          contentBase64: Buffer.from('%PDF-1.4 x').toString('base64'),
        },
        { filnavn: 'kart.bin', mimetype: 'application/octet-stream', contentBase64: big.toString('base64') },
      ],
    });
    expect(injected.status).toBe(201);
    const id = String(injected.json.id);

    const list = await fetch(`${sim.url}/tjenester/svarinn/mottaker/hentNyeForsendelser`, {
      headers: { Authorization: auth },
    });
    expect(list.headers.get('content-type')).toBe('application/json; charset=utf-8');
    const [item] = (await list.json()) as Record<string, unknown>[];
    expect(item).toMatchObject({
      id,
      status: 'Klar for mottak',
      niva: '3',
      downloadUrl: `${sim.url}/tjenester/svarinn/forsendelse/${id}`,
      mottaker: expect.objectContaining({ orgnr: ORGNR }),
    });
    expect(typeof item!.date).toBe('number');

    const { cms, plain, headers } = await downloadWithOpenssl(id);
    expect(headers.get('content-type')).toBe('application/zip;charset=UTF-8');
    expect(headers.get('content-disposition')).toBe(
      `attachment; filename="dokumenter-${id.slice(0, 8)}.zip"`,
    );
    // BER indefinite length on the outer items, ending in end-of-contents markers.
    expect(cms.subarray(0, 2)).toEqual(Buffer.from([0x30, 0x80]));
    expect(cms.subarray(-10)).toEqual(Buffer.alloc(10));
    const structure = execFileSync('openssl', [
      'asn1parse',
      '-inform',
      'DER',
      '-in',
      join(dir, `${id}.cms`),
    ]).toString();
    expect(structure.match(/l=inf/g)).toHaveLength(5);
    expect(structure).toMatch(/rsaesOaep/);
    expect(structure).toMatch(/aes-256-cbc/);
    expect(structure).toMatch(/l=1000 prim: OCTET STRING/);
    // A streamed ZIP: data descriptors (flag bit 3) and UTF-8 names (bit 11), entries in filmetadata order.
    expect(plain.readUInt16LE(6) & 0x0808).toBe(0x0808);
    const entries = unzipSync(plain);
    expect(Object.keys(entries)).toEqual(['søknad.pdf', 'kart.bin']);
    expect(Buffer.from(entries['kart.bin']!).equals(big)).toBe(true);

    const view = await admin('GET', `/forsendelser/${id}`);
    expect(view.json).toMatchObject({ state: 'KLAR_FOR_MOTTAK', downloads: 1 });
  });

  it('serves a single-PDF item as the PDF itself', async () => {
    const body = Buffer.from('%PDF-1.7 single');
    const id = sim.inject({
      tittel: 'Brev',
      orgnr: ORGNR,
      delivery: 'pdf',
      files: [{ filnavn: 'brev.pdf', content: body }],
    });
    const { plain, headers } = await downloadWithOpenssl(id);
    expect(headers.get('content-type')).toBe('application/pdf');
    expect(plain.equals(body)).toBe(true);
  });

  it('validates mottakFeilet and applies faults injected over HTTP', async () => {
    const id = sim.inject({ tittel: 'Brev', orgnr: ORGNR, files: [] });
    const url = `${sim.url}/tjenester/svarinn/mottakFeilet/forsendelse/${id}`;
    const post = (body: string) =>
      fetch(url, {
        method: 'POST',
        headers: { Authorization: auth, 'Content-Type': 'application/json' },
        body,
      });
    expect((await post('{"feilmelding":"","permanent":true}')).status).toBe(400);
    expect((await post('{"feilmelding":"x"}')).status).toBe(400);
    expect((await post('not json')).status).toBe(400);
    expect(sim.item(id)!.state).toBe('KLAR_FOR_MOTTAK');

    expect((await admin('POST', '/faults/http', { endpoint: 'fail', status: 503 })).status).toBe(201);
    expect((await post('{"feilmelding":"x","permanent":true}')).status).toBe(503);
    expect((await post('{"feilmelding":"x","permanent":true}')).status).toBe(200);
    expect(sim.item(id)!.state).toBe('MOTTAK_FEILET_PERMANENT');
  });
});
