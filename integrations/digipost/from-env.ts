// The production Digipost client from the validated configuration (config/env.ts), for the API (the run
// preview's identification) and the worker alike.
import type { Env } from '../../config/env';
import { DigipostClient, loadDigipostKey } from './client';

/** Throws when the broker key cannot be loaded. */
export function digipostClientFromEnv(env: Env): DigipostClient {
  return new DigipostClient({
    baseUrl: env.DIGIPOST_BASE_URL,
    brokerId: env.DIGIPOST_BROKER_ID,
    privateKeyPem: loadDigipostKey(
      env.DIGIPOST_KEY_FILE ?? env.DIGIPOST_PRIVATE_KEY_FILE,
      env.DIGIPOST_KEY_PASSPHRASE,
    ),
    senderId: env.DIGIPOST_SENDER_ID,
    // a stuck request fails and is tried again (the run's activities heartbeat on a timer meanwhile)
    timeoutMs: 20_000,
  });
}
