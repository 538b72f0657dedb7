// The mottaker API v1 (svarinn-api.md §2, §11): list new forsendelser (max 200, oldest first), download one
// encrypted as SvarUt encrypts it (envelope.ts), acknowledge it, report it failed (permanently: taken away and
// sent through Altinn). Each endpoint applies the faults a test injected.
import express, { Router, type Request, type Response } from 'express';
import { generateKeyPairSync } from 'node:crypto';
import { authenticate } from './auth';
import { envelope, malformedEnvelope, type EnvelopeOptions } from './envelope';
import { fail } from './errors';
import { toJson } from './json';
import { take, type Endpoint, type Item, type SvarInnState, type System } from './state';
import { javaStyleZip, withWrongCrc } from './zip';

const BASE = '/tjenester/svarinn';

export function mottakerRouter(state: SvarInnState): Router {
  const r = Router();

  const sleep = (ms: number, res: Response) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      res.on('close', () => {
        clearTimeout(timer);
        resolve();
      });
    });

  /** Applies an injected HTTP fault; true when it answered the request itself. */
  async function httpFault(endpoint: Endpoint, req: Request, res: Response): Promise<boolean> {
    const fault = take(state.httpFaults, (f) => f.endpoint === endpoint);
    if (!fault) return false;
    if (fault.delayMs) await sleep(fault.delayMs, res);
    if (res.destroyed || res.writableEnded) return true;
    if (fault.status) {
      fail(req, res, fault.status, `injected fault on ${endpoint}`);
      return true;
    }
    return false;
  }

  /** The caller's item, or 404 (unknown, or routed to another system). */
  function ownItem(req: Request, res: Response, system: System): Item | undefined {
    const item = state.items.get(String(req.params.id));
    if (!item || item.systemId !== system.id) {
      fail(req, res, 404, `Fant ikke forsendelse ${String(req.params.id)}`);
      return undefined;
    }
    return item;
  }

  r.get(`${BASE}/mottaker/hentNyeForsendelser`, async (req, res) => {
    if (await httpFault('list', req, res)) return;
    const system = authenticate(state, req, res);
    if (!system) return;
    const waiting = [...state.items.values()].filter(
      (i) => i.systemId === system.id && i.state === 'KLAR_FOR_MOTTAK',
    );
    waiting.sort((a, b) => a.date - b.date);
    const page = waiting.slice(0, 200);
    if (state.shape.order === 'shuffled')
      for (let i = page.length - 1; i > 0; i--) {
        const j = Math.floor(Math.random() * (i + 1));
        [page[i], page[j]] = [page[j]!, page[i]!];
      }
    for (const item of page) state.log(item, 'listet');
    res
      .status(200)
      .type('application/json; charset=utf-8')
      .send(
        JSON.stringify(page.map((i) => toJson(i, state.shape, `${state.base}${BASE}/forsendelse/${i.id}`))),
      );
  });

  r.get(`${BASE}/forsendelse/:id`, async (req, res) => {
    if (await httpFault('download', req, res)) return;
    const system = authenticate(state, req, res);
    if (!system) return;
    const item = ownItem(req, res, system);
    if (!item) return;
    if (item.state === 'MOTTAK_FEILET_PERMANENT')
      return fail(req, res, 404, `Forsendelse ${item.id} er ikke i SvarInn`);
    const fault = take(state.downloadFaults, (f) => !f.forsendelseId || f.forsendelseId === item.id);

    const single = item.input.delivery === 'pdf';
    let plaintext = single ? item.files[0]!.content : javaStyleZip(item.files, new Date(state.now()));
    if (fault?.kind === 'bad-crc' && !single) plaintext = withWrongCrc(plaintext);
    let certificatePem = system.certificatePem;
    if (fault?.kind === 'wrong-key') {
      const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;
      certificatePem = state
        .testCa()
        .issue(other.export({ type: 'spki', format: 'pem' }).toString(), 'another system');
    }
    const envelopeOptions: EnvelopeOptions = {
      corruptPadding: fault?.kind === 'corrupt',
      pkcs1KeyTransport: fault?.kind === 'pkcs1',
      trailingBytes: fault?.kind === 'trailing-bytes' ? (fault.bytes ?? 8) : 0,
      encoding: fault?.kind === 'der' ? 'der' : 'ber',
    };
    item.downloads += 1;
    state.log(item, 'lastet-ned');
    const id8 = item.id.slice(0, 8);
    res.status(200).set(
      single
        ? {
            'Content-Type': 'application/pdf',
            'Content-Disposition': `attachment; filename="dokument-${id8}.pdf"`,
          }
        : {
            'Content-Type': 'application/zip;charset=UTF-8',
            'Content-Disposition': `attachment; filename="dokumenter-${id8}.zip"`,
          },
    );
    const pieces =
      fault?.kind === 'malformed'
        ? [malformedEnvelope(fault.shape, plaintext, certificatePem)]
        : envelope(plaintext, certificatePem, envelopeOptions);
    let sent = 0;
    let first = true;
    for (const piece of pieces) {
      if (res.destroyed) return;
      if (fault?.kind === 'truncate' && sent + piece.length > fault.afterBytes) {
        res.write(piece.subarray(0, fault.afterBytes - sent));
        // Let the bytes go out, then cut the connection mid-body.
        setImmediate(() => res.destroy());
        return;
      }
      res.write(piece);
      sent += piece.length;
      if (first && fault?.kind === 'slow') await sleep(fault.delayMs, res);
      first = false;
    }
    if (!res.destroyed) res.end();
  });

  r.post(`${BASE}/kvitterMottak/forsendelse/:id`, async (req, res) => {
    if (await httpFault('ack', req, res)) return;
    const system = authenticate(state, req, res);
    if (!system) return;
    const item = ownItem(req, res, system);
    if (!item) return;
    const fault = take(state.ackFaults, (f) => !f.forsendelseId || f.forsendelseId === item.id);
    item.acknowledgements += 1;
    if (fault?.kind === 'lost') {
      res.status(200).end();
      return;
    }
    if (item.state === 'KLAR_FOR_MOTTAK') {
      item.state = 'LEST';
      state.log(item, 'kvittert');
    }
    if (fault?.kind === 'fails-after-apply')
      return fail(req, res, 500, 'injected fault after the ack was applied');
    res.status(200).end();
  });

  r.post(`${BASE}/mottakFeilet/forsendelse/:id`, express.text({ type: () => true }), async (req, res) => {
    if (await httpFault('fail', req, res)) return;
    const system = authenticate(state, req, res);
    if (!system) return;
    const item = ownItem(req, res, system);
    if (!item) return;
    let body: unknown;
    try {
      body = JSON.parse(typeof req.body === 'string' ? req.body : '');
    } catch {
      return fail(req, res, 400, 'Forventet JSON {"feilmelding": string, "permanent": boolean}');
    }
    const { feilmelding, permanent } = (body ?? {}) as { feilmelding?: unknown; permanent?: unknown };
    if (typeof feilmelding !== 'string' || feilmelding.length < 1 || typeof permanent !== 'boolean')
      return fail(req, res, 400, 'feilmelding (minst ett tegn) og permanent (boolean) er påkrevd');
    if (permanent && item.state === 'KLAR_FOR_MOTTAK') {
      item.state = 'MOTTAK_FEILET_PERMANENT';
      state.log(item, 'mottak-feilet-permanent', feilmelding);
      state.log(item, 'sendt-altinn');
    } else state.log(item, 'mottak-feilet', feilmelding);
    res.status(200).end();
  });

  return r;
}
