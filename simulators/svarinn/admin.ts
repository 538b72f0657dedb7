// The simulator's test-only admin API (JSON over HTTP under /admin): the same controls as the simulator
// object, for tests and tools in other processes. Never part of SvarInn's API; no authentication by design,
// so bind the simulator to localhost.
import express, { Router, type Request, type Response } from 'express';
import type { SvarInnSimulator } from './server';
import type {
  AckFault,
  DownloadFault,
  HttpFault,
  InjectFile,
  InjectInput,
  ListShape,
  ReceivingSystemInput,
} from './state';

export function adminRouter(sim: SvarInnSimulator): Router {
  const admin = Router();
  admin.use(express.json({ limit: '50mb' }));
  const adminCall =
    (fn: (req: Request) => unknown, status = 200) =>
    (req: Request, res: Response) => {
      try {
        res.status(status).json(fn(req) ?? {});
      } catch (e) {
        res.status(400).json({ message: (e as Error).message });
      }
    };
  admin.post(
    '/receiving-systems',
    adminCall((req) => sim.addReceivingSystem(req.body as ReceivingSystemInput), 201),
  );
  admin.post(
    '/forsendelser',
    adminCall((req) => {
      const body = req.body as Omit<InjectInput, 'files'> & {
        files: (Omit<InjectFile, 'content'> & { contentBase64: string })[];
      };
      const files = body.files.map(({ contentBase64, ...f }) => ({
        ...f,
        content: Buffer.from(contentBase64, 'base64'),
      }));
      return { id: sim.inject({ ...body, files }) };
    }, 201),
  );
  admin.get(
    '/forsendelser',
    adminCall(() => sim.items()),
  );
  admin.get('/forsendelser/:id', (req, res) => {
    const item = sim.item(req.params.id);
    if (!item) res.status(404).json({ message: 'unknown forsendelse' });
    else res.json(item);
  });
  admin.post(
    '/faults/http',
    adminCall((req) => sim.injectFault(req.body as HttpFault), 201),
  );
  admin.post(
    '/faults/download',
    adminCall((req) => sim.injectDownloadFault(req.body as DownloadFault), 201),
  );
  admin.post(
    '/faults/ack',
    adminCall((req) => sim.injectAckFault(req.body as { kind: AckFault }), 201),
  );
  admin.delete(
    '/faults',
    adminCall(() => sim.clearFaults()),
  );
  admin.put(
    '/list-shape',
    adminCall((req) => sim.setListShape(req.body as ListShape)),
  );
  admin.post(
    '/clock/advance',
    adminCall((req) => sim.advanceClock(Number((req.body as { ms: number }).ms))),
  );
  return admin;
}
