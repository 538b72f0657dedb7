// KS's recipe for a receiving system's key pair (svarinn-api.md §4.1), by the openssl command line: a fixture
// of its own, neither the SvarInn client's code nor the simulator's.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

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

/**
 * `openssl dgst -sha256 -verify`: checks an RSA-SHA256 signature over `data` with a PEM public key, by the
 * openssl command line. Returns what openssl says ("Verified OK"); throws when the signature does not hold.
 */
export function opensslVerify(publicKeyPem: string, data: string, signature: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'openssl-verify-'));
  try {
    writeFileSync(join(dir, 'pub.pem'), publicKeyPem);
    writeFileSync(join(dir, 'data'), data);
    writeFileSync(join(dir, 'sig'), signature);
    return execFileSync(
      'openssl',
      ['dgst', '-sha256', '-verify', join(dir, 'pub.pem'), '-signature', join(dir, 'sig'), join(dir, 'data')],
      { stdio: 'pipe' },
    )
      .toString()
      .trim();
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
