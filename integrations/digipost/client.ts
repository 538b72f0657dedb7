// Digipost API v8 client (digipost-api.md; §15 wins): one object for the callers, built from the transport
// (transport.ts: entry point and links, signing, response verification; xml.ts, multipart.ts) and one module per
// operation group, as the simulator is split: identification.ts, sending.ts (print fallback, direct print,
// print-if-unread), document-status.ts, events.ts and batches.ts. Codes, channels, statuses and event types
// are open values.
import { Batches, type Batch } from './batches';
import { documentStatus, type DocumentStatus } from './document-status';
import { allDocumentEvents, documentEvents, type DocumentEvent } from './events';
import { identify, type Identification } from './identification';
import { messageXml, send, type SendRequest, type SendResult } from './sending';
import { DigipostTransport, type TransportOptions } from './transport';

export { DigipostError, DIGIPOST_ERROR_TYPES, isRetryable } from './errors';
export type { DigipostErrorCode, DigipostErrorType, KnownDigipostErrorCode } from './errors';
export { loadDigipostKey } from './keys';
export type { Batch, BatchStatus } from './batches';
export type { DocumentStatus } from './document-status';
export { eventQueryTime, type DocumentEvent } from './events';
export type { Identification, IdentificationResult } from './identification';
export type { Channel, PrintAddress, SendRequest, SendResult } from './sending';

export interface DigipostClientOptions extends TransportOptions {
  /** Send on behalf of this sender (needs Digipost's broker authorisation); default: the broker itself. */
  senderId?: string;
  /**
   * The business clock: times written into messages (the print-if-unread deadline). Default: the wall clock.
   * Request signing and the response `Date` check always use the wall clock, as Digipost does (§1.2).
   */
  now?: () => Date;
}

export class DigipostClient {
  private readonly transport: DigipostTransport;
  private readonly batches: Batches;
  private readonly onBehalf = new Map<string, DigipostClient>();

  constructor(private readonly opts: DigipostClientOptions) {
    this.transport = new DigipostTransport(opts);
    this.batches = new Batches(this.transport);
  }

  /**
   * The same broker sending on behalf of `senderId` (a tenant's own Digipost sender id); one client per
   * sender, so each keeps its entry point and certificate cache. The broker's own id gives this client.
   */
  forSender(senderId: string | null | undefined): DigipostClient {
    if (!senderId || senderId === (this.opts.senderId ?? this.opts.brokerId)) return this;
    let client = this.onBehalf.get(senderId);
    if (!client) {
      client = new DigipostClient({ ...this.opts, senderId });
      this.onBehalf.set(senderId, client);
    }
    return client;
  }

  private get senderId(): string {
    return this.opts.senderId ?? this.opts.brokerId;
  }

  /** Recipient identification (§3): a person by national id, or an organisation by `{ orgNumber }`. */
  identify(recipient: string | { orgNumber: string }): Promise<Identification> {
    return identify(this.transport, recipient);
  }

  /** The `<message>` XML of a send, elements in the XSD's order (§4.2). */
  static messageXml(req: SendRequest, senderId?: string, now = new Date()): string {
    return messageXml(req, senderId, now);
  }

  /**
   * Sends one letter (multipart, §4.1). Idempotent through `messageId`: DUPLICATE_MESSAGE means an earlier
   * attempt was accepted, reported as `alreadyAccepted` (confirm the channel with documentStatus).
   */
  send(req: SendRequest): Promise<SendResult> {
    const onBehalfOf =
      this.opts.senderId && this.opts.senderId !== this.opts.brokerId ? this.opts.senderId : undefined;
    return send(this.transport, req, onBehalfOf, this.opts.now?.() ?? new Date());
  }

  /** Document status (§7). */
  documentStatus(documentUuid: string): Promise<DocumentStatus> {
    return documentStatus(this.transport, this.senderId, documentUuid);
  }

  /**
   * One page of document events in [from, to) (§8). Fewer than `maxResults` events means the window is
   * exhausted. Events come for the broker, or for `senderId` when the client sends on behalf of one.
   */
  documentEvents(q: {
    from: Date;
    to: Date;
    offset?: number;
    maxResults?: number;
  }): Promise<{ events: DocumentEvent[] }> {
    return documentEvents(this.transport, this.opts.senderId, q);
  }

  /** Every event in [from, to), page by page (events.ts: re-read overlapping windows, de-duplicate). */
  allDocumentEvents(q: { from: Date; to: Date; pageSize?: number }): Promise<DocumentEvent[]> {
    return allDocumentEvents(this.transport, this.opts.senderId, q);
  }

  // ---- batches (§9) ----

  createBatch(uuid: string): Promise<Batch> {
    return this.batches.create(uuid);
  }

  getBatch(uuid: string): Promise<Batch> {
    return this.batches.get(uuid);
  }

  /** Commits the batch: Digipost delivers its digital letters now and prints the rest the next working day. */
  completeBatch(uuid: string): Promise<Batch> {
    return this.batches.complete(uuid);
  }

  /** Cancels a batch that is not yet committed: Digipost deletes its messages. */
  cancelBatch(uuid: string): Promise<void> {
    return this.batches.cancel(uuid);
  }
}
