// A Digipost simulator with a registered broker key and a population register, and a client for it. Drive the
// simulator (clock, events, faults, batches, permissions) as simulators/digipost/README.md describes.
import { generateKeyPairSync } from 'node:crypto';
import { startDigipostSimulator, type DigipostSimulator } from '../../simulators/digipost/server';
import { DigipostClient } from '../../integrations/digipost/client';

export const DIGIPOST_USER = '01019010046';
export const NON_USER = '01019010127';
/** An organisation with a Digipost mailbox (Brønnøysundregistrene's number, as the simulator seeds it). */
export const DIGIPOST_ORG = '974760673';
/** A valid organisation number without a Digipost mailbox (Skatteetaten's number). */
export const NON_USER_ORG = '974761076';
export const RETURN_ADDRESS = {
  name: 'Oslo kommune',
  lines: ['Postboks 1'],
  postalCode: '0037',
  city: 'Oslo',
};

export async function digipostForTests(): Promise<{
  sim: DigipostSimulator;
  client: DigipostClient;
  privateKeyPem: string;
}> {
  const keys = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const privateKeyPem = keys.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
  const sim = await startDigipostSimulator();
  sim.addBroker('9999', keys.publicKey.export({ type: 'spki', format: 'pem' }).toString());
  sim.setPerson(DIGIPOST_USER, { kind: 'DIGIPOST' });
  sim.setPerson(NON_USER, { kind: 'IDENTIFIED' });
  sim.setOrganisation(DIGIPOST_ORG, { kind: 'DIGIPOST' });
  return {
    sim,
    client: new DigipostClient({ baseUrl: sim.url, brokerId: '9999', privateKeyPem }),
    privateKeyPem,
  };
}
