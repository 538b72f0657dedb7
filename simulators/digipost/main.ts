// `npm run sim:digipost`: the Digipost simulator on its own, for a worker or any other Digipost client.
// Registers the broker DIGIPOST_BROKER_ID with the key in DIGIPOST_PRIVATE_KEY_FILE (made on first start), so
// a client configured with the same two settings and DIGIPOST_BASE_URL=<printed URL> works straight away.
// Options: --port (default 8282, Digipost's own local port), --host (default 127.0.0.1), --config file.json
// with more brokers and people: { "brokers": [{ "userId", "publicKeyPem" | "certificatePem", "permissions",
// "senders" }], "people": { "<national id>": { "kind": "DIGIPOST" | "IDENTIFIED" | "UNIDENTIFIED" | "INVALID" } },
// "organisations": { "<organisation number>": { "kind": "DIGIPOST" | "UNIDENTIFIED" } } }
import { createPublicKey, generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { parseArgs } from 'node:util';
import { loadEnv } from '../../config/env';
import { startDigipostSimulator } from './server';
import type { BrokerOptions, Organisation, Person } from './register';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '8282' },
    host: { type: 'string', default: '127.0.0.1' },
    config: { type: 'string' },
  },
});
const env = loadEnv();
const keyFile = env.DIGIPOST_PRIVATE_KEY_FILE;
if (!existsSync(keyFile)) {
  mkdirSync(dirname(keyFile), { recursive: true });
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  writeFileSync(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }), { mode: 0o600 });
}
const sim = await startDigipostSimulator({ port: Number(values.port), host: values.host });
sim.addBroker(
  env.DIGIPOST_BROKER_ID,
  createPublicKey(readFileSync(keyFile, 'utf8')).export({ type: 'spki', format: 'pem' }).toString(),
);
sim.setPerson('01019010046', { kind: 'DIGIPOST' });
sim.setPerson('01019010127', { kind: 'IDENTIFIED' });
sim.setOrganisation('974760673', { kind: 'DIGIPOST', name: 'Brønnøysundregistrene' });
if (values.config) {
  const config = JSON.parse(readFileSync(values.config, 'utf8')) as {
    brokers?: ({ userId: string; publicKeyPem?: string; certificatePem?: string } & BrokerOptions)[];
    people?: Record<string, Person>;
    organisations?: Record<string, Organisation>;
  };
  for (const b of config.brokers ?? [])
    sim.addBroker(b.userId, b.certificatePem ?? b.publicKeyPem ?? null, b);
  for (const [nationalId, person] of Object.entries(config.people ?? {})) sim.setPerson(nationalId, person);
  for (const [orgNumber, o] of Object.entries(config.organisations ?? {})) sim.setOrganisation(orgNumber, o);
}
const say = (line: string) => process.stdout.write(`${line}\n`);
say(`Digipost simulator ${sim.url}`);
say(
  `  client settings: DIGIPOST_BASE_URL=${sim.url} DIGIPOST_BROKER_ID=${env.DIGIPOST_BROKER_ID} DIGIPOST_PRIVATE_KEY_FILE=${keyFile}`,
);
say(`  what it holds:   ${sim.url}/admin/state   (admin API: simulators/digipost/README.md)`);
const stop = () => void sim.close().then(() => process.exit(0));
process.once('SIGINT', stop);
process.once('SIGTERM', stop);
