// Runs the Noark 5 archive simulator on its own: `npm run sim:archive -- --port 8383`.
import { parseArgs } from 'node:util';
import { startArchiveSimulator } from './server';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8383' },
    username: { type: 'string', default: 'admin' },
    password: { type: 'string', default: 'password' },
    'client-id': { type: 'string', default: 'postgang' },
    'client-secret': { type: 'string', default: 'secret' },
  },
});

const sim = await startArchiveSimulator({
  port: Number(values.port),
  users: [{ username: values.username, password: values.password }],
  clients: [{ clientId: values['client-id'], clientSecret: values['client-secret'] }],
});
const origin = new URL(sim.url).origin;
console.log(`Noark 5 archive simulator: service root ${sim.url}`);
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
