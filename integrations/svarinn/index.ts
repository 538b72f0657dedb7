// The SvarInn client's public surface; see client.ts for the calls and cms.ts for the decryption.
export {
  SvarInnClient,
  type DownloadedFile,
  type RejectedForsendelse,
  type SvarInnClientOptions,
} from './client';
export { decryptSvarInnPayload } from './cms';
export { SvarInnError, type SvarInnErrorKind } from './errors';
export type {
  Forsendelse,
  FilMetadata,
  MetadataForImport,
  MetadataFraAvleverendeSystem,
  SvarInnAddress,
  SvarInnAvsender,
  SvarInnEntry,
} from './forsendelse';
export { privateKeyPemFromPkcs12 } from './keys';
