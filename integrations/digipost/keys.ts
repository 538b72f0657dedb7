// Loading the broker's private key (digipost-api.md §1.1): Digipost issues enterprise certificates as PKCS#12
// files; a PEM key (PKCS#8, PKCS#1, encrypted or not) works as well. Either way we hand back PKCS#8 PEM.
import { createPrivateKey } from 'node:crypto';
import { readFileSync } from 'node:fs';
import forge from 'node-forge';

function fromPkcs12(der: Buffer, passphrase: string): string {
  const p12 = forge.pkcs12.pkcs12FromAsn1(
    forge.asn1.fromDer(forge.util.createBuffer(der.toString('binary'))),
    passphrase,
  );
  const bags = [
    ...(p12.getBags({ bagType: forge.pki.oids.pkcs8ShroudedKeyBag! })[forge.pki.oids.pkcs8ShroudedKeyBag!] ??
      []),
    ...(p12.getBags({ bagType: forge.pki.oids.keyBag! })[forge.pki.oids.keyBag!] ?? []),
  ];
  const key = bags.find((b) => b.key)?.key;
  if (!key) throw new Error('the PKCS#12 file holds no private key');
  return forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
}

/** The broker key from a PEM file or a PKCS#12 (.p12/.pfx) file, as PKCS#8 PEM. */
export function loadDigipostKey(file: string, passphrase?: string): string {
  const bytes = readFileSync(file);
  const pem = bytes.toString('latin1').includes('-----BEGIN');
  // A PEM file may hold the certificate as well; the key block is taken wherever it stands.
  const block = /-----BEGIN ((?:RSA |ENCRYPTED )?PRIVATE KEY)-----[\s\S]+?-----END \1-----/.exec(
    bytes.toString('utf8'),
  );
  if (pem && !block) throw new Error(`${file} holds no PEM private key`);
  const pkcs8 = pem ? block![0] : fromPkcs12(bytes, passphrase ?? '');
  return createPrivateKey({ key: pkcs8, format: 'pem', ...(pem && passphrase ? { passphrase } : {}) })
    .export({ type: 'pkcs8', format: 'pem' })
    .toString();
}
