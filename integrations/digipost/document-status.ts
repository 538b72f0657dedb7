// Document status (digipost-api.md §7), at the path the official client hard-codes (§15.6).
import type { Channel } from './sending';
import type { DigipostTransport } from './transport';
import { str } from './xml';

export interface DocumentStatus {
  /** DELIVERED | NOT_DELIVERED, open. */
  status: string;
  channel?: Channel;
  created?: string;
  delivered?: string;
  /** 'Y' | 'N', only with an opening receipt. */
  read?: string;
}

export async function documentStatus(
  t: DigipostTransport,
  senderId: string,
  documentUuid: string,
): Promise<DocumentStatus> {
  const d = await t.xml(
    'GET',
    `/documents/${encodeURIComponent(senderId)}/${encodeURIComponent(documentUuid)}/status`,
    'document-status',
  );
  return {
    status: str(d['@status']) ?? '',
    ...(d['@channel'] !== undefined ? { channel: str(d['@channel']) } : {}),
    ...(d['@created'] !== undefined ? { created: str(d['@created']) } : {}),
    ...(d['@delivered'] !== undefined ? { delivered: str(d['@delivered']) } : {}),
    ...(d['@read'] !== undefined ? { read: str(d['@read']) } : {}),
  };
}
