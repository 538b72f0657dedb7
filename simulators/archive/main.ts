// Runs the Noark 5 archive simulator on its own: `npm run sim:archive -- --port 8383 [--mode standard]`.
// The mode (where a real server and the standard differ, see ArchiveSimulatorMode) comes from --mode, else
// ARCHIVE_SIMULATOR_MODE, else `observed`.
import { parseArgs } from 'node:util';
import { loadEnv } from '../../config/env';
import { ARCHIVE_SIMULATOR_MODES, startArchiveSimulator, type ArchiveSimulatorMode } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8383' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string', default: 'password' },
    'client-id': { type: 'string', default: 'postgang' },
    'client-secret': { type: 'string', default: 'secret' },
    mode: { type: 'string' },
  },
});
const mode = (values.mode ?? loadEnv().ARCHIVE_SIMULATOR_MODE) as ArchiveSimulatorMode;
if (!ARCHIVE_SIMULATOR_MODES.includes(mode)) {
  console.error(`--mode must be one of ${ARCHIVE_SIMULATOR_MODES.join(', ')}`);
  process.exit(2);
}

const sim = await startArchiveSimulator({
  port: Number(values.port),
  mode,
  users: [{ username: values.username, password: values.password }],
  clients: [{ clientId: values['client-id'], clientSecret: values['client-secret'] }],
});
const origin = new URL(sim.url).origin;
console.log(`Noark 5 archive simulator (${mode} mode): service root ${sim.url}`);
console.log(
  `  OAuth2 password grant for user "${values.username}", client "${values['client-id']}" (client_secret_basic)`,
);
console.log(
  `  inspect: ${origin}/admin/saksmapper, ${origin}/admin/journalposter; faults: POST ${origin}/admin/faults`,
);

for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.once(signal, () => {
    void sim.close().then(() => process.exit(0));
  });
