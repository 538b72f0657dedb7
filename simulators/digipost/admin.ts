// The simulator's test-only admin API (JSON over HTTP under /admin): the same controls as the simulator
// object, for tests and tools in other processes. Never part of Digipost's API; unauthenticated by design.
import { Router, type Request, type Response } from 'express';
import type { DigipostSimulator, Fault, ReceivedMessage } from './server';
import type { BrokerOptions, Organisation, Person } from './register';

const view = (m: ReceivedMessage) => ({
  ...m,
  documents: m.documents.map((d) => ({ ...d, content: undefined, size: d.size })),
});

export function adminRouter(sim: DigipostSimulator): Router {
  const r = Router();
  const guard = (fn: (req: Request, res: Response) => unknown) => (req: Request, res: Response) => {
    try {
      const out = fn(req, res);
      if (!res.headersSent) res.json(out ?? { ok: true });
    } catch (e) {
      res.status(400).json({ error: (e as Error).message });
    }
  };
  const body = (req: Request) => (req.body ?? {}) as Record<string, unknown>;

  r.get(
    '/state',
    guard(() => ({
      now: sim.now(),
      messages: sim.messages.map(view),
      batches: sim.batches(),
      events: sim.events(),
    })),
  );
  r.get(
    '/messages',
    guard(() => sim.messages.map(view)),
  );
  r.get(
    '/documents',
    guard(() => sim.messages.flatMap((m) => view(m).documents.map((d) => ({ ...d, channel: m.channel })))),
  );
  r.get(
    '/batches',
    guard(() => sim.batches()),
  );
  r.get(
    '/events',
    guard(() => sim.events()),
  );

  r.post(
    '/brokers',
    guard((req) => {
      const b = body(req);
      const pem = (b.certificatePem ?? b.publicKeyPem ?? null) as string | null;
      sim.addBroker(String(b.userId), pem, {
        permissions: b.permissions as BrokerOptions['permissions'],
        senders: b.senders as string[] | undefined,
      });
    }),
  );
  r.patch(
    '/brokers/:userId/permissions',
    guard((req) => sim.setPermissions(String(req.params.userId), body(req))),
  );
  r.put(
    '/people/:nationalId',
    guard((req) => sim.setPerson(String(req.params.nationalId), body(req) as unknown as Person)),
  );
  r.put(
    '/organisations/:orgNumber',
    guard((req) => {
      const o = body(req) as unknown as Organisation;
      if (o?.kind !== 'DIGIPOST' && o?.kind !== 'UNIDENTIFIED')
        throw new Error('kind must be DIGIPOST or UNIDENTIFIED');
      sim.setOrganisation(String(req.params.orgNumber), o);
    }),
  );

  r.get(
    '/clock',
    guard(() => ({ now: sim.now() })),
  );
  r.post(
    '/clock',
    guard((req) => {
      const b = body(req);
      if (typeof b.now === 'string') sim.setNow(new Date(b.now));
      if (typeof b.advanceMs === 'number') sim.advanceClock(b.advanceMs);
      return { now: sim.now() };
    }),
  );

  r.post(
    '/events',
    guard((req) => {
      const b = body(req);
      return sim.injectEvent(
        String(b.documentUuid),
        String(b.type),
        b.metadata as Record<string, string> | undefined,
        {
          ...(typeof b.created === 'string' ? { created: new Date(b.created) } : {}),
          ...(typeof b.xsiType === 'string' ? { xsiType: b.xsiType } : {}),
        },
      );
    }),
  );
  r.post(
    '/documents/:uuid/open',
    guard((req) => sim.openDocument(String(req.params.uuid))),
  );
  r.post(
    '/documents/:uuid/delay-print',
    guard((req) => sim.delayPrint(String(req.params.uuid), Number(body(req).ms))),
  );

  r.post(
    '/faults',
    guard((req) => sim.fault(body(req) as unknown as Fault)),
  );
  r.delete(
    '/faults',
    guard(() => sim.clearFaults()),
  );
  r.put(
    '/hold',
    guard((req) => {
      sim.holdResponses = Boolean(body(req).hold);
    }),
  );
  r.post(
    '/rotate-key',
    guard(() => sim.rotateKey()),
  );
  return r;
}
