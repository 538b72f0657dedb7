// Privacy in Temporal history: with the codec, a national id passed to a workflow (input and signal) is in
// the server's history in no readable form, neither through the SDK nor `temporal workflow show`; the API's
// codec endpoint decodes it back the way the Web UI calls it, and `temporal workflow show --codec-endpoint`
// reads it through the same endpoint.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import { pino } from 'pino';
import { Client, Connection } from '@temporalio/client';
import { openDatabase, type Db } from '../db/connection';
import { createApp } from '../api/app';
import { startDevServer, temporalCliPath, type DevServer } from '../temporal/dev-server';
import { generateKeySpec, parseKeyring } from '../temporal/codec';
import { codecFor, dataConverterFor } from '../temporal/data-converter';
import { historyTexts, reveals } from './support/history';

const NATIONAL_ID = '01019010127';
const keyring = parseKeyring(generateKeySpec('test-1'));
const temporalPort = 20233 + Math.floor(Math.random() * 1000);
// The Web UI of the dev server is on the gRPC port + 1000; its origin is the one the endpoint allows.
const UI_ORIGIN = `http://127.0.0.1:${temporalPort + 1000}`;

let server: DevServer;
let db: Db;
let closeDb: () => Promise<void>;
let connection: Connection;
let http: Server;
let base: string;

beforeAll(async () => {
  ({ db, close: closeDb } = await openDatabase(inject('databaseUrl')));
  // The API first (the dev server is told its codec endpoint), on a connection made when first used.
  connection = Connection.lazy({ address: `127.0.0.1:${temporalPort}` });
  const app = createApp({
    db,
    temporal: new Client({ connection, dataConverter: dataConverterFor(keyring) }),
    taskQueue: 'unused',
    logger: pino({ level: 'silent' }),
    codec: { codec: codecFor(keyring), namespace: 'default', allowedOrigins: [UI_ORIGIN] },
  });
  http = app.listen(0, '127.0.0.1');
  await new Promise((r) => http.once('listening', r));
  const addr = http.address();
  base = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}`;
  server = await startDevServer({
    port: temporalPort,
    uiPort: temporalPort + 1000,
    codecEndpoint: `${base}/codec`,
  });
}, 180_000);

afterAll(async () => {
  http?.close();
  await connection?.close();
  await closeDb?.();
  await server?.stop();
});

const revealsNationalId = (text: string) => reveals(text, NATIONAL_ID);

// Asynchronous: with --codec-endpoint the CLI calls the API served by this very process.
const cliShow = async (workflowId: string, ...extra: string[]) =>
  (
    await promisify(execFile)(temporalCliPath()!, [
      'workflow',
      'show',
      '--address',
      server.address,
      '--workflow-id',
      workflowId,
      '--output',
      'json',
      ...extra,
    ])
  ).stdout;

/** Starts a workflow (no worker needed: the input is in history from the start) and signals it. */
async function startWithPersonalData(client: Client): Promise<string> {
  const workflowId = `privacy-${randomUUID()}`;
  const correction = { nationalId: NATIONAL_ID, address: { lines: ['Storgata 1'], postalCode: '0155' } };
  const handle = await client.workflow.start('correctionProbe', {
    taskQueue: `nobody-${randomUUID()}`,
    workflowId,
    args: [{ correction }],
  });
  await handle.signal('correction', correction);
  return workflowId;
}

describe('payload codec against a real Temporal server', () => {
  it('the dev server’s Web UI is configured with the API’s codec endpoint', async () => {
    const settings = (await (await fetch(`${server.uiUrl}/api/v1/settings`)).json()) as {
      Codec: { Endpoint: string };
    };
    expect(server.uiUrl).toBe(UI_ORIGIN);
    expect(settings.Codec.Endpoint).toBe(`${base}/codec`);
  });

  it('the detector finds a national id in history written without the codec (the test can fail)', async () => {
    const plain = new Client({ connection });
    const workflowId = await startWithPersonalData(plain);
    expect(revealsNationalId(historyTexts(await plain.workflow.getHandle(workflowId).fetchHistory()))).toBe(
      true,
    );
    expect(revealsNationalId(await cliShow(workflowId))).toBe(true);
  });

  it('keeps the national id out of the raw history, and the codec endpoint decodes it back', async () => {
    const encrypted = new Client({ connection, dataConverter: dataConverterFor(keyring) });
    const workflowId = await startWithPersonalData(encrypted);
    // Read as someone without the key would: a client without the codec, and the CLI.
    const raw = await new Client({ connection }).workflow.getHandle(workflowId).fetchHistory();
    expect(revealsNationalId(historyTexts(raw))).toBe(false);
    expect(revealsNationalId(await cliShow(workflowId))).toBe(false);
    expect(await cliShow(workflowId)).toContain(Buffer.from('binary/encrypted').toString('base64'));

    // The Web UI's call: a preflight, then POST /codec/decode with the payloads as protobuf JSON.
    const started = raw.events!.find((e) => e.workflowExecutionStartedEventAttributes)!;
    const input = started.workflowExecutionStartedEventAttributes!.input!.payloads!;
    const preflight = await fetch(`${base}/codec/decode`, {
      method: 'OPTIONS',
      headers: {
        origin: UI_ORIGIN,
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'content-type,x-namespace',
      },
    });
    expect(preflight.status).toBe(204);
    expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    expect(preflight.headers.get('access-control-allow-headers')?.toLowerCase()).toContain('x-namespace');
    const body = JSON.stringify({
      payloads: input.map((p) => ({
        metadata: Object.fromEntries(
          Object.entries(p.metadata!).map(([k, v]) => [k, Buffer.from(v).toString('base64')]),
        ),
        data: Buffer.from(p.data!).toString('base64'),
      })),
    });
    const headers = { origin: UI_ORIGIN, 'content-type': 'application/json', 'x-namespace': 'default' };
    const res = await fetch(`${base}/codec/decode`, { method: 'POST', headers, body });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
    const decoded = (await res.json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(decoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe('json/plain');
    expect(JSON.parse(Buffer.from(decoded.payloads[0]!.data, 'base64').toString())).toEqual({
      correction: { nationalId: NATIONAL_ID, address: { lines: ['Storgata 1'], postalCode: '0155' } },
    });

    // The CLI through the same endpoint (the way an operator reads history outside the UI).
    expect(revealsNationalId(await cliShow(workflowId, '--codec-endpoint', `${base}/codec`))).toBe(true);

    // Other origins, other namespaces and garbage are refused.
    const other = await fetch(`${base}/codec/decode`, {
      method: 'POST',
      headers: { ...headers, origin: 'http://evil.example' },
      body,
    });
    expect(other.status).toBe(403);
    const otherNs = await fetch(`${base}/codec/decode`, {
      method: 'POST',
      headers: { ...headers, 'x-namespace': 'elsewhere' },
      body,
    });
    expect(otherNs.status).toBe(400);
    const garbage = await fetch(`${base}/codec/decode`, {
      method: 'POST',
      headers,
      body: JSON.stringify({
        payloads: [{ metadata: { encoding: 'YmluYXJ5L2VuY3J5cHRlZA==' }, data: 'AAAA' }],
      }),
    });
    expect(garbage.status).toBe(400);
    expect(((await garbage.json()) as { error: { code: string } }).error.code).toBe('CODEC_FAILED');
  });

  it('encodes through the endpoint (UI-started workflows and signals) so that decode restores the input', async () => {
    const headers = { origin: UI_ORIGIN, 'content-type': 'application/json', 'x-namespace': 'default' };
    const plain = { metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: '' };
    plain.data = Buffer.from(JSON.stringify({ nationalId: NATIONAL_ID })).toString('base64');
    const encoded = (await (
      await fetch(`${base}/codec/encode`, {
        method: 'POST',
        headers,
        body: JSON.stringify({ payloads: [plain] }),
      })
    ).json()) as { payloads: { metadata: Record<string, string>; data: string }[] };
    expect(Buffer.from(encoded.payloads[0]!.metadata.encoding!, 'base64').toString()).toBe(
      'binary/encrypted',
    );
    expect(revealsNationalId(encoded.payloads[0]!.data)).toBe(false);
    const decoded = (await (
      await fetch(`${base}/codec/decode`, { method: 'POST', headers, body: JSON.stringify(encoded) })
    ).json()) as { payloads: { data: string }[] };
    expect(decoded.payloads[0]!.data).toBe(plain.data);
  });

  it('with a token configured, refuses requests without it', async () => {
    const app = createApp({
      db,
      temporal: new Client({ connection }),
      taskQueue: 'unused',
      logger: pino({ level: 'silent' }),
      codec: {
        codec: codecFor(keyring),
        namespace: 'default',
        allowedOrigins: [],
        token: 's3cret-token-0123456789',
      },
    });
    const guarded = app.listen(0, '127.0.0.1');
    await new Promise((r) => guarded.once('listening', r));
    const addr = guarded.address();
    const url = `http://127.0.0.1:${typeof addr === 'object' && addr ? addr.port : 0}/codec/decode`;
    try {
      const body = JSON.stringify({ payloads: [] });
      const json = { 'content-type': 'application/json' };
      expect((await fetch(url, { method: 'POST', headers: json, body })).status).toBe(401);
      const wrong = { ...json, authorization: 'Bearer wrong-token-0123456789' };
      expect((await fetch(url, { method: 'POST', headers: wrong, body })).status).toBe(401);
      const right = { ...json, authorization: 'Bearer s3cret-token-0123456789' };
      expect((await fetch(url, { method: 'POST', headers: right, body })).status).toBe(200);
    } finally {
      guarded.close();
    }
  });
});
