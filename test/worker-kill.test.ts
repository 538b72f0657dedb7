// Durability: the worker process is SIGKILLed while a run is sending (Digipost has stored the message, its
// answer is held back), then a new worker starts. The run completes, the letter ends Sendt web, and Digipost
// holds exactly one message for it: the retry reused the message id and got DUPLICATE_MESSAGE.
import { beforeAll, describe, expect, it } from 'vitest';
import { DIGIPOST_USER } from './support/digipost';
import { letterRequest, useTestSystem, until } from './support/system';
import { workerProcesses, type WorkerProcess } from './support/worker-process';

let startWorker: () => WorkerProcess;

const sys = useTestSystem({ withWorker: false });

beforeAll(async () => {
  startWorker = workerProcesses(sys);
}, 180_000);

describe('worker killed mid-run', () => {
  it('completes the run after restart with exactly one message at Digipost', async () => {
    const first = startWorker();
    const { id } = await sys.json<{ id: string }>('/v1/letters', { body: letterRequest(DIGIPOST_USER) });
    await until(
      'queued',
      async () => (await sys.json<{ status: string }>(`/v1/letters/${id}`)).status === 'QUEUED',
    );
    const [doc] = await sys.db.query.letterDocuments.findMany({ where: (d, { eq }) => eq(d.letterId, id) });
    const mine = () => sys.sim.messages.filter((m) => m.documents.some((d) => d.uuid === doc!.documentUuid));

    sys.sim.holdResponses = true;
    const run = await sys.json<{ id: string }>('/v1/runs', { body: {} });
    await until('Digipost to store the message', async () => mine().length === 1);
    first.child.kill('SIGKILL');
    await first.exited;
    sys.sim.holdResponses = false;

    const second = startWorker();
    try {
      const letter = await until('sent', async () => {
        const l = await sys.json<{ status: string; history: { status: string }[] }>(`/v1/letters/${id}`);
        return l.status === 'SENT_DIGITAL' && l;
      });
      expect(letter.history.map((h) => h.status)).toEqual(['QUEUED', 'WAITING', 'SENT_DIGITAL']);
      expect(mine()).toHaveLength(1);
      await until(
        'run done',
        async () => (await sys.json<{ status: string }>(`/v1/runs/${run.id}`)).status === 'DONE',
      );
    } finally {
      second.child.kill('SIGTERM');
      await second.exited;
    }
  }, 180_000);
});
