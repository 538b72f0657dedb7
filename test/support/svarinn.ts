// A SvarInn simulator with one receiving system (a fresh RSA key pair, routed for the given organisation
// numbers), and a client for it. `addReceivingSystem` registers more, each with its own key and client.
import { generateKeyPairSync } from 'node:crypto';
import { startSvarInnSimulator, type Route, type SvarInnSimulator } from '../../simulators/svarinn/server';
import { SvarInnClient, type SvarInnClientOptions } from '../../integrations/svarinn/client';
import type { MalformedShape } from '../../simulators/svarinn/envelope';

export const SVARINN_ORGNR = '910077473';

export interface SvarInnTestSystem {
  client: SvarInnClient;
  /** The Basic username (mottakersystem id) and service password. */
  username: string;
  password: string;
  privateKeyPem: string;
  certificatePem: string;
}

type ClientExtras = Partial<
  Omit<SvarInnClientOptions, 'baseUrl' | 'username' | 'password' | 'privateKeyPem'>
>;

export function registerTestSystem(
  sim: SvarInnSimulator,
  routes: Route[],
  clientOptions: ClientExtras = {},
): SvarInnTestSystem {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const publicKeyPem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
  const { id, password, certificatePem } = sim.addReceivingSystem({ publicKeyPem, routes });
  const client = new SvarInnClient({
    baseUrl: sim.url,
    username: id,
    password,
    privateKeyPem,
    ...clientOptions,
  });
  return { client, username: id, password, privateKeyPem, certificatePem };
}

export async function svarinnForTests(
  opts: { orgnrs?: string[]; clientOptions?: ClientExtras } = {},
): Promise<
  SvarInnTestSystem & {
    sim: SvarInnSimulator;
    orgnrs: string[];
    addReceivingSystem(routes: Route[], clientOptions?: ClientExtras): SvarInnTestSystem;
  }
> {
  const sim = await startSvarInnSimulator();
  const orgnrs = opts.orgnrs ?? [SVARINN_ORGNR];
  const system = registerTestSystem(
    sim,
    orgnrs.map((orgnr) => ({ orgnr })),
    opts.clientOptions,
  );
  return {
    sim,
    orgnrs,
    ...system,
    addReceivingSystem: (routes, clientOptions) => registerTestSystem(sim, routes, clientOptions),
  };
}

/** Every way the SvarInn simulator can serve a download that is not a readable CMS EnvelopedData. */
export const MALFORMED_SHAPES = [
  'empty',
  'not-ber',
  'not-enveloped',
  'no-recipients',
  'bad-oaep-params',
  'no-encrypted-content',
  'cut-structure',
] as const satisfies readonly MalformedShape[];
