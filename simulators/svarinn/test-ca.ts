// A test CA for the SvarInn simulator: it issues certificates for receiving systems registered with only a
// public key, and for the wrong-key download fault.
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import forge from 'node-forge';

/** A test CA that issues certificates for receiving systems registered with only a public key. */
export function testCa() {
  const caKey = forge.pki.privateKeyFromPem(
    generateKeyPairSync('rsa', { modulusLength: 2048 })
      .privateKey.export({ type: 'pkcs1', format: 'pem' })
      .toString(),
  );
  const name = [
    { name: 'countryName', value: 'NO' },
    { name: 'organizationName', value: 'SvarInn simulator' },
    { name: 'commonName', value: 'SvarInn simulator test CA' },
  ];
  return {
    issue(publicKeyPem: string, cn: string): string {
      const cert = forge.pki.createCertificate();
      cert.publicKey = forge.pki.publicKeyFromPem(publicKeyPem);
      cert.serialNumber = '01' + randomBytes(8).toString('hex');
      cert.validity.notBefore = new Date(Date.now() - 86_400_000);
      cert.validity.notAfter = new Date(Date.now() + 99999 * 86_400_000);
      cert.setSubject([{ name: 'commonName', value: cn }]);
      cert.setIssuer(name);
      cert.sign(caKey, forge.md.sha256.create());
      return forge.pki.certificateToPem(cert);
    },
  };
}

export type TestCa = ReturnType<typeof testCa>;
