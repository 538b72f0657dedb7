// The simulator's state: registers, messages with their documents, batches and the event log, and the
// business-clock rules that move them (deliveries, print runs, registration deadlines, batch completion,
// 30-day event expiry; digipost-api.md §4.4, §4.5, §8, §9).
import { nextPrintRun, osloIso, osloMidnight, SimClock } from './clock';
import { lookUp, type Broker, type Person } from './register';

const EVENT_RETENTION_MS = 30 * 86_400_000;

export type SimChannel = 'DIGIPOST' | 'PRINT' | 'PENDING';

export interface StoredDocument {
  uuid: string;
  subject: string;
  fileType: string;
  content: Buffer;
  /** base64 SHA-256 of the content, echoed in message-delivery and document-status. */
  contentHash: string;
  isPrimary: boolean;
  authenticationLevel: string;
  sensitivityLevel: string;
  status: 'DELIVERED' | 'NOT_DELIVERED';
  created: Date;
  delivered?: Date;
  /** Set only when an opening receipt was requested: 'N' until the recipient opens it. */
  read?: 'Y' | 'N';
}

export interface ReceivedMessage {
  messageId?: string;
  brokerId: string;
  senderId: string;
  channel: SimChannel;
  /** National id, Digipost address or 'direct-print': test-only view, never logged. */
  recipientKey: string;
  documents: StoredDocument[];
  receivedAt: Date;
  batchUuid?: string;
  deliveryTime?: Date;
  printIfUnreadAfter?: Date;
  /** Request for registration (§4.4): PENDING until the person registers or the deadline passes. */
  registration?: { deadline: Date; print: boolean };
  nondeliverableHandling?: string;
  /** When the print run takes this letter (PRINT channel, or print-if-unread that came due). */
  printAt?: Date;
  printed: boolean;
}

export type BatchStatus = 'CREATED' | 'NOT_COMMITTED' | 'COMMITTED' | 'DONE';

export interface SimBatch {
  uuid: string;
  brokerId: string;
  status: BatchStatus;
  created: Date;
  committedAt?: Date;
}

export interface SimEvent {
  /** The document's uuid (the XSD's `event/@uuid`). */
  uuid: string;
  type: string;
  created: Date;
  documentCreated: Date;
  brokerId: string;
  senderId: string;
  /** `xsi:type` of the metadata element and its attributes. */
  metadata?: { xsiType: string; attributes: Record<string, string> };
}

/** `xsi:type` of an event's metadata (§8); unknown types get a name derived from the type. */
export const METADATA_TYPES: Record<string, string> = {
  POSTMARKED: 'postmarked-metadata',
  PRINT_FAILED: 'failed-print-metadata',
  SMS_NOTIFICATION_FAILED: 'sms-notification-failed-metadata',
  EMAIL_NOTIFICATION_FAILED: 'email-notification-failed-metadata',
  EMAIL_MESSAGE_SENT: 'email-delivered-metadata',
  PEPPOL_FAILED: 'failed-peppol-metadata',
  REQUEST_FOR_REGISTRATION_EXPIRED: 'request-for-registration-expired-metadata',
};

/** A refusal with its HTTP status and Digipost error code; the server answers it as a signed `<error>`. */
export class Reject extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly type = 'CLIENT_DATA',
  ) {
    super(message);
  }
}

export class SimState {
  readonly brokers = new Map<string, Broker>();
  readonly people = new Map<string, Person>();
  /** Every message held, batch members included (a cancelled batch's messages are removed). */
  readonly messages: ReceivedMessage[] = [];
  readonly batches = new Map<string, SimBatch>();
  events: SimEvent[] = [];
  /** `brokerId/message-id` and `brokerId/document-uuid` already used (§5.2). */
  readonly usedMessageIds = new Set<string>();
  readonly usedDocumentUuids = new Set<string>();
  readonly clock = new SimClock();

  findDocument(uuid: string): { m: ReceivedMessage; d: StoredDocument } | undefined {
    for (const m of this.messages) {
      const d = m.documents.find((x) => x.uuid === uuid);
      if (d) return { m, d };
    }
    return undefined;
  }

  addEvent(m: ReceivedMessage, d: StoredDocument, type: string, created: Date, meta?: SimEvent['metadata']) {
    const e: SimEvent = {
      uuid: d.uuid,
      type,
      created,
      documentCreated: d.created,
      brokerId: m.brokerId,
      senderId: m.senderId,
      ...(meta ? { metadata: meta } : {}),
    };
    this.events.push(e);
    return e;
  }

  tick(): void {
    const now = this.clock.now();
    for (const m of this.messages) {
      const batch = m.batchUuid ? this.batches.get(m.batchUuid) : undefined;
      if (batch && (batch.status === 'CREATED' || batch.status === 'NOT_COMMITTED')) continue;
      if (m.channel === 'DIGIPOST' && m.deliveryTime && m.deliveryTime <= now)
        for (const d of m.documents)
          if (d.status === 'NOT_DELIVERED')
            Object.assign(d, { status: 'DELIVERED', delivered: m.deliveryTime });
      if (m.channel === 'PENDING' && m.registration) {
        const registered = lookUp(this.people, m.recipientKey).kind === 'DIGIPOST';
        if (registered || m.registration.deadline <= now) {
          const at = registered ? now : m.registration.deadline;
          m.channel = registered ? 'DIGIPOST' : m.registration.print ? 'PRINT' : 'PENDING';
          if (m.channel !== 'PENDING')
            for (const d of m.documents) Object.assign(d, { status: 'DELIVERED', delivered: at });
          if (m.channel === 'PRINT') m.printAt = nextPrintRun(at);
          const primary = m.documents[0]!;
          if (registered) this.addEvent(m, primary, 'REQUEST_FOR_REGISTRATION_DELIVERED_DIGIPOST', at);
          else if (m.registration.print)
            this.addEvent(m, primary, 'REQUEST_FOR_REGISTRATION_EXPIRED', at, {
              xsiType: METADATA_TYPES.REQUEST_FOR_REGISTRATION_EXPIRED!,
              attributes: { 'fallback-channel': 'PRINT' },
            });
          else this.addEvent(m, primary, 'REQUEST_FOR_REGISTRATION_FAILED', at);
          delete m.registration;
        }
      }
      if (m.printIfUnreadAfter && !m.printAt && m.printIfUnreadAfter <= now && m.documents[0]!.read !== 'Y') {
        const opened = this.events.some((e) => e.uuid === m.documents[0]!.uuid && e.type === 'OPENED');
        if (!opened) m.printAt = nextPrintRun(m.printIfUnreadAfter);
      }
      if (m.printAt && !m.printed && m.printAt <= now) {
        m.printed = true;
        for (const d of m.documents)
          this.addEvent(m, d, 'POSTMARKED', m.printAt, {
            xsiType: 'postmarked-metadata',
            attributes: { 'postmarked-date': osloIso(osloMidnight(m.printAt)) },
          });
      }
    }
    for (const b of this.batches.values())
      if (b.status === 'COMMITTED') {
        const members = this.messages.filter((m) => m.batchUuid === b.uuid);
        if (members.every((m) => m.channel !== 'PRINT' || m.printed)) b.status = 'DONE';
      }
    const oldest = now.getTime() - EVENT_RETENTION_MS;
    this.events = this.events.filter((e) => e.created.getTime() >= oldest);
  }

  /** Removes a batch that is not committed, with its messages; their ids may be used again. */
  cancelBatch(b: SimBatch): void {
    for (let i = this.messages.length - 1; i >= 0; i--)
      if (this.messages[i]!.batchUuid === b.uuid) {
        const [m] = this.messages.splice(i, 1);
        if (m!.messageId !== undefined) this.usedMessageIds.delete(`${m!.brokerId}/${m!.messageId}`);
        for (const d of m!.documents) this.usedDocumentUuids.delete(`${m!.brokerId}/${d.uuid}`);
      }
    this.batches.delete(b.uuid);
  }

  /** Commits a batch: Digipost letters are delivered now, print goes out the next working day (§9). */
  commitBatch(b: SimBatch): void {
    if (b.status !== 'CREATED' && b.status !== 'NOT_COMMITTED') return;
    const now = this.clock.now();
    Object.assign(b, { status: 'COMMITTED', committedAt: now });
    for (const m of this.messages.filter((x) => x.batchUuid === b.uuid)) {
      if (m.channel === 'PRINT') m.printAt = nextPrintRun(now);
      if (m.channel === 'PRINT' || (m.channel === 'DIGIPOST' && !m.deliveryTime))
        for (const d of m.documents) Object.assign(d, { status: 'DELIVERED', delivered: now });
    }
  }
}
