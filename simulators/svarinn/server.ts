// KS SvarInn simulator: the mottaker API v1 (svarinn-api.md §2, §11) with Basic auth per receiving system,
// routing by (orgnr, forsendelseType, nivå) to the most specific registration, items listed (max 200) until
// acknowledged, permanent failure taking an item away, and downloads encrypted as SvarUt encrypts them
// (envelope.ts). A test-only admin API (methods on the returned object, and HTTP under /admin) registers
// receiving systems, injects forsendelser, shows state and event log, moves a virtual clock and injects faults.
//
// Split by concern: state.ts (systems, items, faults, clock, routing), routes.ts (the mottaker API), auth.ts
// (Basic), json.ts (an item's V1 JSON), errors.ts, admin.ts (the admin API), envelope.ts and zip.ts (the
// download's bytes), test-ca.ts.
import express from 'express';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { adminRouter } from './admin';
import { mottakerRouter } from './routes';
import {
  SvarInnState,
  type AckFault,
  type DownloadFault,
  type HttpFault,
  type InjectInput,
  type ItemView,
  type ListShape,
  type ReceivingSystemInput,
} from './state';

export type {
  AckFault,
  DownloadFault,
  Endpoint,
  Hendelse,
  HttpFault,
  InjectFile,
  InjectInput,
  ItemState,
  ItemView,
  ListShape,
  ReceivingSystemInput,
  Route,
} from './state';
export type { MalformedShape } from './envelope';

export interface SvarInnSimulator {
  url: string;
  addReceivingSystem(input: ReceivingSystemInput): { id: string; password: string; certificatePem: string };
  inject(input: InjectInput): string;
  item(id: string): ItemView | undefined;
  items(): ItemView[];
  injectFault(fault: HttpFault): void;
  /** A fault for downloads of one item (or of every item when forsendelseId is missing). */
  injectDownloadFault(fault: DownloadFault & { forsendelseId?: string; times?: number }): void;
  injectAckFault(fault: { kind: AckFault; forsendelseId?: string; times?: number }): void;
  setListShape(shape: ListShape): void;
  clearFaults(): void;
  advanceClock(ms: number): void;
  now(): number;
  close(): Promise<void>;
}

export async function startSvarInnSimulator(
  opts: { port?: number; host?: string } = {},
): Promise<SvarInnSimulator> {
  const state = new SvarInnState();
  const app = express();
  app.disable('x-powered-by');
  app.use(mottakerRouter(state));

  const server: Server = await new Promise((resolve) => {
    const s = app.listen(opts.port ?? 0, opts.host ?? '127.0.0.1', () => resolve(s));
  });
  const address = server.address() as AddressInfo;
  state.base = `http://${address.address.includes(':') ? `[${address.address}]` : address.address}:${address.port}`;

  const sim: SvarInnSimulator = {
    url: state.base,
    addReceivingSystem: state.addReceivingSystem,
    inject: state.inject,
    item: (id) => {
      const item = state.items.get(id);
      return item ? state.view(item) : undefined;
    },
    items: () => [...state.items.values()].map(state.view),
    injectFault: (f) => void state.httpFaults.push({ ...f, remaining: f.times ?? 1 }),
    injectDownloadFault: ({ times, ...f }) =>
      void state.downloadFaults.push({ ...f, remaining: times ?? Infinity }),
    injectAckFault: ({ times, kind, forsendelseId }) =>
      void state.ackFaults.push({
        kind,
        remaining: times ?? Infinity,
        ...(forsendelseId ? { forsendelseId } : {}),
      }),
    setListShape: (s) => {
      state.shape = { ...s };
    },
    clearFaults: () => {
      state.httpFaults = [];
      state.downloadFaults = [];
      state.ackFaults = [];
    },
    advanceClock: (ms) => {
      state.clockOffset += ms;
    },
    now: state.now,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      }),
  };
  app.use('/admin', adminRouter(sim));
  return sim;
}
