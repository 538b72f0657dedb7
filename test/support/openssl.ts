// KS's recipe for a receiving system's key pair (svarinn-api.md §4.1), by the openssl command line: a fixture
// of its own, neither the SvarInn client's code nor the simulator's.
import { execFileSync } from 'node:child_process';

/** A new RSA key at `keyout` and its self-signed certificate at `certout` (`openssl req -x509`). */
export function selfSignedKeyPair(keyout: string, certout: string, days: string, subject: string): void {
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      keyout,
      '-out',
      certout,
      '-days',
      days,
      '-subj',
      subject,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
}
