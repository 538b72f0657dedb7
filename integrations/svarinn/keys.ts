// Receiving-system keys come as PKCS#1 PEM, PKCS#8 PEM or a PKCS#12 store (svarinn-api.md §4.2.1). The client
// reads both PEM forms directly; this turns a PKCS#12 store into PKCS#8 PEM for it.
import forge from 'node-forge';
import { SvarInnError } from './errors';

const SHROUDED_KEY_BAG = '1.2.840.113549.1.12.10.1.2';
const KEY_BAG = '1.2.840.113549.1.12.10.1.1';

/** The (first) private key in a PKCS#12 store (.p12/.pfx), as PKCS#8 PEM. */
export function privateKeyPemFromPkcs12(p12: Uint8Array, password: string): string {
  let store: forge.pkcs12.Pkcs12Pfx;
  try {
    const asn1 = forge.asn1.fromDer(forge.util.createBuffer(Buffer.from(p12).toString('binary')));
    store = forge.pkcs12.pkcs12FromAsn1(asn1, password);
  } catch (cause) {
    throw new SvarInnError('wrong-key', 'the PKCS#12 store cannot be opened (damaged, or wrong password)', {
      cause,
    });
  }
  const bagsOf = (type: string) => store.getBags({ bagType: type })[type] ?? [];
  const bags = [...bagsOf(SHROUDED_KEY_BAG), ...bagsOf(KEY_BAG)];
  const key = bags.find((b) => b.key)?.key;
  if (!key) throw new SvarInnError('wrong-key', 'the PKCS#12 store holds no private key');
  return forge.pki.privateKeyInfoToPem(forge.pki.wrapRsaPrivateKey(forge.pki.privateKeyToAsn1(key)));
}
