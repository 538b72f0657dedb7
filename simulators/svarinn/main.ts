// Runs the SvarInn simulator on its own: `npm run sim:svarinn -- --port 8091`. Receiving systems and
// forsendelser are added through the admin API (see README.md in this folder).
import { parseArgs } from 'node:util';
import { startSvarInnSimulator } from './server';

const { values } = parseArgs({
  options: { port: { type: 'string', default: '8091' }, host: { type: 'string', default: '127.0.0.1' } },
});
const port = Number(values.port);
if (!Number.isInteger(port) || port < 0 || port > 65535) {
  console.error(`--port must be a port number, got ${values.port}`);
  process.exit(2);
}

const sim = await startSvarInnSimulator({ port, host: values.host });
console.log(
  `SvarInn simulator listening on ${sim.url} (mottaker API under /tjenester/svarinn, admin under /admin)`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    sim.close().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('SvarInn simulator did not close cleanly', err);
        process.exit(1);
      },
    );
  });
