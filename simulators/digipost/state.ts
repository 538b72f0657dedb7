// The simulator's state: registers, messages with their documents, batches and the event log, and the
// business-clock rules that move them (deliveries, print runs, registration deadlines, batch completion,
// 30-day event expiry; digipost-api.md §4.4, §4.5, §8, §9).
//
// Indexed like a real service, so a request costs the same with 100,000 messages held as with ten: documents by
// uuid, batches' members and document uuids, the messages the clock still has work for, committed batches
// still waiting for print, and each broker's events in `created` order. Only the newest documents keep their
// content (`contentRetention`); older ones keep their hash and size.
import { nextPrintRun, osloIso, osloMidnight, SimClock } from './clock';
import { lookUp, type Broker, type Organisation, type Person } from './register';

const EVENT_RETENTION_MS = 30 * 86_400_000;

export type SimChannel = 'DIGIPOST' | 'PRINT' | 'PENDING';

export interface StoredDocument {
  uuid: string;
  subject: string;
  fileType: string;
  /** The document's bytes; emptied (size and hash kept) once `contentRetention` newer documents are held. */
  content: Buffer;
  size: number;
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

/** Index of the first element of `sorted` whose key is greater than `key` (or `>=` with `inclusive`). */
function bound<T>(sorted: T[], key: number, keyOf: (x: T) => number, inclusive = false): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const k = keyOf(sorted[mid]!);
    if (k < key || (!inclusive && k === key)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

const createdMs = (e: SimEvent) => e.created.getTime();

export class SimState {
  readonly brokers = new Map<string, Broker>();
  readonly people = new Map<string, Person>();
  readonly organisations = new Map<string, Organisation>();
  /** Every message held, batch members included (a cancelled batch's messages are removed). */
  readonly messages: ReceivedMessage[] = [];
  readonly batches = new Map<string, SimBatch>();
  /** Every event in the order it was added (expired ones are dropped now and then; readers skip them). */
  private allEvents: SimEvent[] = [];
  /** `brokerId/message-id` and `brokerId/document-uuid` already used (§5.2). */
  readonly usedMessageIds = new Set<string>();
  readonly usedDocumentUuids = new Set<string>();
  readonly clock = new SimClock();
  /** How many of the newest documents keep their content. */
  contentRetention = 1_000;

  private readonly byDocument = new Map<string, { m: ReceivedMessage; d: StoredDocument }>();
  private readonly members = new Map<string, ReceivedMessage[]>();
  private readonly batchDocuments = new Map<string, Set<string>>();
  /** Messages the business clock still has work for (delivery, registration, print). */
  private readonly active = new Set<ReceivedMessage>();
  /** Per batch: members to be printed that are not printed yet. */
  private readonly unprinted = new Map<string, number>();
  /** Committed batches not yet DONE. */
  private readonly committed = new Set<string>();
  private readonly eventsByBroker = new Map<string, SimEvent[]>();
  private readonly opened = new Set<string>();
  private readonly withContent: StoredDocument[] = [];
  private nextPruneAt = 0;
  /** The earliest moment the clock has work for an active message (0: look now). */
  private nextDueAt = 0;

  /** Adds an accepted message to the state and its indexes. */
  addMessage(m: ReceivedMessage): void {
    this.messages.push(m);
    for (const d of m.documents) {
      if (!this.byDocument.has(d.uuid)) this.byDocument.set(d.uuid, { m, d });
      this.withContent.push(d);
    }
    while (this.withContent.length > this.contentRetention) {
      const old = this.withContent.shift()!;
      old.content = Buffer.alloc(0);
    }
    if (m.batchUuid) {
      // the clock has nothing to do for it until its batch is committed (commitBatch)
      const list = this.members.get(m.batchUuid) ?? [];
      list.push(m);
      this.members.set(m.batchUuid, list);
      const docs = this.batchDocuments.get(m.batchUuid) ?? new Set<string>();
      for (const d of m.documents) docs.add(d.uuid);
      this.batchDocuments.set(m.batchUuid, docs);
      if (m.channel === 'PRINT') this.countPrint(m, 1);
    } else this.activate(m);
  }

  private activate(m: ReceivedMessage) {
    this.active.add(m);
    this.nextDueAt = 0;
  }

  /** Something outside the clock changed (e.g. a person registered): look at every waiting message again. */
  wake(): void {
    this.nextDueAt = 0;
  }

  private countPrint(m: ReceivedMessage, delta: number) {
    if (m.batchUuid) this.unprinted.set(m.batchUuid, (this.unprinted.get(m.batchUuid) ?? 0) + delta);
  }

  batchMembers(batchUuid: string): readonly ReceivedMessage[] {
    return this.members.get(batchUuid) ?? [];
  }

  batchHasDocument(batchUuid: string, documentUuid: string): boolean {
    return this.batchDocuments.get(batchUuid)?.has(documentUuid) ?? false;
  }

  findDocument(uuid: string): { m: ReceivedMessage; d: StoredDocument } | undefined {
    return this.byDocument.get(uuid);
  }

  /** The events not yet expired, in the order they were added. */
  get events(): SimEvent[] {
    const oldest = this.clock.now().getTime() - EVENT_RETENTION_MS;
    return this.allEvents.filter((e) => createdMs(e) >= oldest);
  }

  /** A broker's events with `from <= created < to` (and not expired), ordered by `created`, then by arrival. */
  *eventsInWindow(brokerId: string, from: number, to: number): Generator<SimEvent> {
    const list = this.eventsByBroker.get(brokerId) ?? [];
    const oldest = this.clock.now().getTime() - EVENT_RETENTION_MS;
    for (let i = bound(list, Math.max(from, oldest), createdMs, true); i < list.length; i++) {
      if (createdMs(list[i]!) >= to) return;
      yield list[i]!;
    }
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
    this.allEvents.push(e);
    const list = this.eventsByBroker.get(e.brokerId) ?? [];
    list.splice(bound(list, createdMs(e), createdMs), 0, e);
    this.eventsByBroker.set(e.brokerId, list);
    if (type === 'OPENED') this.opened.add(d.uuid);
    return e;
  }

  /** Whether the business clock still has work for the message. */
  private pending(m: ReceivedMessage): boolean {
    return (
      (m.channel === 'DIGIPOST' &&
        m.deliveryTime !== undefined &&
        m.documents.some((d) => d.status === 'NOT_DELIVERED')) ||
      (m.channel === 'PENDING' && m.registration !== undefined) ||
      (m.printIfUnreadAfter !== undefined &&
        !m.printAt &&
        m.documents[0]!.read !== 'Y' &&
        !this.opened.has(m.documents[0]!.uuid)) ||
      (m.printAt !== undefined && !m.printed)
    );
  }

  /** When the clock next has work for the message (it is pending). */
  private dueAt(m: ReceivedMessage): number {
    let at = Infinity;
    if (m.channel === 'DIGIPOST' && m.deliveryTime) at = Math.min(at, m.deliveryTime.getTime());
    if (m.channel === 'PENDING' && m.registration) at = Math.min(at, m.registration.deadline.getTime());
    if (m.printIfUnreadAfter && !m.printAt) at = Math.min(at, m.printIfUnreadAfter.getTime());
    if (m.printAt && !m.printed) at = Math.min(at, m.printAt.getTime());
    return at;
  }

  tick(): void {
    const now = this.clock.now();
    if (now.getTime() >= this.nextDueAt) this.advance(now);
    for (const uuid of this.committed) {
      const b = this.batches.get(uuid);
      if (!b || b.status !== 'COMMITTED') this.committed.delete(uuid);
      else if ((this.unprinted.get(uuid) ?? 0) === 0) {
        b.status = 'DONE';
        this.committed.delete(uuid);
      }
    }
    if (now.getTime() >= this.nextPruneAt) {
      // expired events go now and then (readers skip them meanwhile), so a request does not walk the log
      const oldest = now.getTime() - EVENT_RETENTION_MS;
      this.allEvents = this.allEvents.filter((e) => createdMs(e) >= oldest);
      for (const [broker, list] of this.eventsByBroker)
        this.eventsByBroker.set(broker, list.slice(bound(list, oldest, createdMs, true)));
      this.nextPruneAt = now.getTime() + 3_600_000;
    }
  }

  /** Does what has come due for the active messages; notes when the next thing comes due. */
  private advance(now: Date): void {
    let next = Infinity;
    for (const m of this.active) {
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
          if (m.channel === 'PRINT') {
            m.printAt = nextPrintRun(at);
            this.countPrint(m, 1);
          }
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
        if (!this.opened.has(m.documents[0]!.uuid)) m.printAt = nextPrintRun(m.printIfUnreadAfter);
      }
      if (m.printAt && !m.printed && m.printAt <= now) {
        m.printed = true;
        if (m.channel === 'PRINT') this.countPrint(m, -1);
        for (const d of m.documents)
          this.addEvent(m, d, 'POSTMARKED', m.printAt, {
            xsiType: 'postmarked-metadata',
            attributes: { 'postmarked-date': osloIso(osloMidnight(m.printAt)) },
          });
      }
      if (!this.pending(m)) this.active.delete(m);
      else next = Math.min(next, this.dueAt(m));
    }
    this.nextDueAt = next;
  }

  /** Removes a batch that is not committed, with its messages; their ids may be used again. */
  cancelBatch(b: SimBatch): void {
    const gone = new Set(this.members.get(b.uuid) ?? []);
    // in place: callers hold this array (the simulator object exposes it)
    let kept = 0;
    for (const m of this.messages) if (!gone.has(m)) this.messages[kept++] = m;
    this.messages.length = kept;
    for (const m of gone) {
      if (m.messageId !== undefined) this.usedMessageIds.delete(`${m.brokerId}/${m.messageId}`);
      for (const d of m.documents) {
        this.usedDocumentUuids.delete(`${m.brokerId}/${d.uuid}`);
        if (this.byDocument.get(d.uuid)?.m === m) this.byDocument.delete(d.uuid);
      }
      this.active.delete(m);
    }
    this.members.delete(b.uuid);
    this.batchDocuments.delete(b.uuid);
    this.unprinted.delete(b.uuid);
    this.batches.delete(b.uuid);
  }

  /** Commits a batch: Digipost letters are delivered now, print goes out the next working day (§9). */
  commitBatch(b: SimBatch): void {
    if (b.status !== 'CREATED' && b.status !== 'NOT_COMMITTED') return;
    const now = this.clock.now();
    Object.assign(b, { status: 'COMMITTED', committedAt: now });
    this.committed.add(b.uuid);
    for (const m of this.batchMembers(b.uuid)) {
      this.activate(m);
      if (m.channel === 'PRINT') m.printAt = nextPrintRun(now);
      if (m.channel === 'PRINT' || (m.channel === 'DIGIPOST' && !m.deliveryTime))
        for (const d of m.documents) Object.assign(d, { status: 'DELIVERED', delivered: now });
    }
  }
}
