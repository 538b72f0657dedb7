// Activity factory for inbound items: thin wrappers over SvarInn, the database, the archive and the mail
// forwarder. Every activity is keyed by the forsendelse id and is idempotent, so a retry after a crash at any
// point repeats nothing that already happened.
import { randomUUID } from 'node:crypto';
import { and, asc, count, desc, eq, isNotNull, isNull, lt } from 'drizzle-orm';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { inboundFiles, inboundItems, receivingSystems, type TriageRecord } from '../db/schema';
import { receivingSystemCredentials, SecretsUnreadableError } from '../db/receiving-systems';
import type { SecretBox } from '../db/secret-box';
import {
  SvarInnClient,
  SvarInnError,
  type Forsendelse,
  type SvarInnErrorKind,
} from '../integrations/svarinn';
import { storableJson, storableText } from '../db/storable-text';
import { INBOUND_STATUS, WAITING_HINT, waitingTooLong, type InboundStatus } from '../domain/inbound-status';
import { errorText, isServiceDown } from './service-down';
import {
  ArchiveRefusedError,
  type ArchiveClient,
  type FileIncomingRequest,
} from '../integrations/archive/client';
import { MailForwardError, type MailForwarder } from '../integrations/mail/forward';
import type { TriageRequest } from '../workflows/inbound-messages';
import type { InboundTimings } from '../workflows/inbound-item-workflow';
import { startInboundItemWorkflow, wakeWebhooksWorkflow } from '../temporal/starters';
import { FAILURE } from '../domain/failure-types';
import { hasPendingLetterDeliveries } from '../db/webhooks';
import {
  createInboundItem,
  enqueueItemEvent,
  moveInbound,
  moveInboundIn,
  movedItem,
  type InboundMove,
} from '../db/transitions';
import { classifyFailures } from './failures';
import { ruleDecision } from '../domain/triage-rules';
import { inboundReason, type InboundFailureCode } from '../domain/reason-texts';

export type TriageDecision = TriageRequest & { by: 'rule' | 'operator' };

export interface InboundSettings extends InboundTimings {
  svarinnBaseUrl: string;
  pollIntervalMs: number;
  /** Corrupt or unverifiable downloads are tried this many times before the item is reported unreadable. */
  downloadAttempts: number;
  /** A receiving system's digest of flagged items goes at most this often (daily in production). */
  digestIntervalMs: number;
}

export interface InboundActivityDeps {
  db: Db;
  secrets: SecretBox;
  /** Starts the intake workflows. */
  temporal: Client;
  taskQueue: string;
  archive: ArchiveClient;
  mailer: MailForwarder;
  settings: InboundSettings;
  /** Builds the SvarInn client for one receiving system; tests may wrap it. */
  svarinnClient?: (opts: ConstructorParameters<typeof SvarInnClient>[0]) => SvarInnClient;
}

export function createInboundActivities(deps: InboundActivityDeps) {
  const { db, secrets, settings } = deps;
  const makeClient = deps.svarinnClient ?? ((opts) => new SvarInnClient(opts));
  const log = () => Context.current().log;

  async function clientFor(receivingSystemId: string): Promise<SvarInnClient> {
    const creds = await receivingSystemCredentials(db, secrets, receivingSystemId);
    if (!creds)
      throw ApplicationFailure.nonRetryable(
        `receiving system ${receivingSystemId} is gone`,
        FAILURE.NOT_FOUND,
      );
    return makeClient({
      baseUrl: settings.svarinnBaseUrl,
      username: creds.username,
      password: creds.password,
      privateKeyPem: creds.privateKeyPem,
    });
  }

  async function itemOf(forsendelseId: string) {
    const [item] = await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, forsendelseId));
    if (!item) throw ApplicationFailure.nonRetryable(`no inbound item ${forsendelseId}`, FAILURE.NOT_FOUND);
    return item;
  }

  type ItemValues = NonNullable<InboundMove['set']>;

  /** Starts (or signals) the item's webhook delivery workflow when it has events waiting. */
  async function kickWebhooks(itemId: string): Promise<void> {
    if (!(await hasPendingLetterDeliveries(db, itemId))) return;
    await wakeWebhooksWorkflow(deps.temporal, { taskQueue: deps.taskQueue, of: { inboundItemId: itemId } });
  }

  /**
   * Moves the item to `status` (db/transitions.ts: from one of `from`, or from any status the allowed moves
   * lead in from, so a retried activity records nothing twice), then wakes its webhook delivery.
   */
  async function transition(
    forsendelseId: string,
    status: InboundStatus,
    values: ItemValues = {},
    from?: InboundStatus[],
  ): Promise<boolean> {
    const moved = await moveInbound(db, { forsendelseId, to: status, set: values, ...(from && { from }) });
    const [item] = await db
      .select({ id: inboundItems.id })
      .from(inboundItems)
      .where(eq(inboundItems.forsendelseId, forsendelseId));
    if (item) await kickWebhooks(item.id);
    return moved !== undefined;
  }

  /** Flags the items that have waited longer than flagAfterMs where they are, and tells subscribers. */
  async function flagWaiting(where: { receivingSystemId: string } | { forsendelseId: string }) {
    const since = new Date(Date.now() - settings.flagAfterMs);
    const flagged: string[] = [];
    for (const status of Object.keys(WAITING_HINT) as (keyof typeof WAITING_HINT)[]) {
      const now = new Date();
      const reason = waitingTooLong(status, settings.flagAfterMs);
      await db.transaction(async (tx) => {
        const rows = await tx
          .update(inboundItems)
          .set({ flaggedAt: now, flagReason: reason })
          .where(
            and(
              'receivingSystemId' in where
                ? eq(inboundItems.receivingSystemId, where.receivingSystemId)
                : eq(inboundItems.forsendelseId, where.forsendelseId),
              eq(inboundItems.status, status),
              isNull(inboundItems.flaggedAt),
              lt(inboundItems.statusChangedAt, since),
            ),
          )
          .returning(movedItem);
        for (const row of rows) {
          await enqueueItemEvent(tx, row, 'inbound.flagged', status, reason, now);
          flagged.push(row.id);
        }
      });
    }
    for (const id of flagged) await kickWebhooks(id);
  }

  /**
   * Mails the receiving system's digest address a short list of its flagged items, at most once per
   * digestIntervalMs. A mail server that fails is tried again on the next poll (the time is only recorded
   * once the mail is accepted); it never holds up the poll itself.
   */
  async function sendDigestIfDue(system: typeof receivingSystems.$inferSelect): Promise<void> {
    if (!system.digestEmail) return;
    const now = new Date();
    if (system.lastDigestAt && now.getTime() - system.lastDigestAt.getTime() < settings.digestIntervalMs)
      return;
    const flagged = await db
      .select({
        title: inboundItems.title,
        status: inboundItems.status,
        flagReason: inboundItems.flagReason,
        createdAt: inboundItems.createdAt,
        id: inboundItems.id,
      })
      .from(inboundItems)
      .where(and(eq(inboundItems.receivingSystemId, system.id), isNotNull(inboundItems.flaggedAt)))
      .orderBy(desc(inboundItems.createdAt))
      .limit(DIGEST_LINES + 1);
    if (flagged.length === 0) return;
    const [{ total } = { total: flagged.length }] = await db
      .select({ total: count() })
      .from(inboundItems)
      .where(and(eq(inboundItems.receivingSystemId, system.id), isNotNull(inboundItems.flaggedAt)));
    const lines = flagged
      .slice(0, DIGEST_LINES)
      .map(
        (i) =>
          `- «${i.title}» (${INBOUND_STATUS[i.status]}, mottatt ${i.createdAt.toISOString().slice(0, 16).replace('T', ' ')} UTC, id ${i.id})\n  ${i.flagReason ?? ''}`,
      );
    if (total > DIGEST_LINES) lines.push(`… og ${total - DIGEST_LINES} til.`);
    try {
      await deps.mailer.forward({
        to: system.digestEmail,
        subject: `SvarInn: ${total} ${total === 1 ? 'forsendelse venter' : 'forsendelser venter'} for lenge (${system.name})`,
        text: [
          `Disse forsendelsene til mottakersystemet «${system.name}» er flagget fordi de har ventet for lenge:`,
          '',
          ...lines,
          '',
          'Åpne «Innkommende post» i administrasjonspanelet for å behandle dem.',
        ].join('\n'),
        attachments: [],
        messageId: `svarinn-digest-${system.id}-${now.getTime()}`,
      });
    } catch (e) {
      // Whatever the mail server or the mailer does, the intake goes on; the digest is tried again next poll.
      log().warn('the digest of flagged items could not be sent; tried again next poll', {
        receivingSystemId: system.id,
        error: errorText(e),
      });
      return;
    }
    await db.update(receivingSystems).set({ lastDigestAt: now }).where(eq(receivingSystems.id, system.id));
  }

  /**
   * A rule's decision is shown on the item while it waits for autoTriageDelayMs, so an operator can see what
   * will happen and decide otherwise first (the workflow takes the operator's decision if it comes first).
   */
  async function showPending(
    itemId: string,
    plan: { destinations: string[]; automatic: TriageRequest & { action: 'archive' | 'forward' } },
  ) {
    if (settings.autoTriageDelayMs > 0) {
      const a = plan.automatic;
      await db
        .update(inboundItems)
        .set({
          pendingRule: {
            action: a.action,
            ...(a.action === 'archive' && a.caseNumber && { caseNumber: a.caseNumber }),
            ...(a.action === 'forward' && { destination: a.destination }),
            actsAt: new Date(Date.now() + settings.autoTriageDelayMs).toISOString(),
          },
        })
        .where(and(eq(inboundItems.id, itemId), isNull(inboundItems.triage)));
    }
    return plan;
  }

  /** SvarInn being away or refusing our credentials is retried; it says nothing about the item. */
  const svarinnUnavailable = (e: SvarInnError) =>
    ApplicationFailure.retryable(e.message, FAILURE.SVARINN_UNAVAILABLE);

  /**
   * Records an item the intake could not take in (unreadable metadata, a value PostgreSQL refuses, an
   * unexpected exception) as UNREADABLE with its reason, and reports it to SvarInn (mottakFeilet permanent,
   * so SvarUt delivers it another way). An item already stored is left as it is. Returns whether the item is
   * now recorded; if not, the reason goes to the receiving system's poll error.
   */
  async function isolate(
    client: SvarInnClient,
    system: typeof receivingSystems.$inferSelect,
    listed: { id: string; raw: unknown; tittel?: unknown; orgnr?: unknown },
    reason: string,
  ): Promise<boolean> {
    const forsendelseId = storableText(listed.id);
    try {
      const [existing] = await db
        .select({ storedAt: inboundItems.storedAt, receivingSystemId: inboundItems.receivingSystemId })
        .from(inboundItems)
        .where(eq(inboundItems.forsendelseId, forsendelseId));
      if (existing && (existing.storedAt || existing.receivingSystemId !== system.id)) return true;
      if (!existing) {
        const id = randomUUID();
        await createInboundItem(db, {
          id,
          tenantId: system.tenantId,
          receivingSystemId: system.id,
          forsendelseId,
          status: 'UNREADABLE',
          title: typeof listed.tittel === 'string' ? storableText(listed.tittel) : '(uten tittel)',
          orgNumber: typeof listed.orgnr === 'string' ? storableText(listed.orgnr) : null,
          metadata: storableJson(listed.raw ?? null).value ?? {},
          failureReason: storableText(reason),
        });
        await kickWebhooks(id);
      } else await transition(forsendelseId, 'UNREADABLE', { failureReason: reason });
    } catch (e) {
      if (isServiceDown(e)) throw e;
      log().error('an item could not be recorded', { forsendelseId, error: errorText(e) });
      return false;
    }
    try {
      await client.reportFailed(listed.id, { permanent: true, message: reason });
    } catch (e) {
      // Reported again on the next listing (the item is UNREADABLE); a down SvarInn ends this round.
      if (!(e instanceof SvarInnError)) throw e;
      if (isServiceDown(e)) throw e;
      log().warn('mottakFeilet was refused', { forsendelseId, kind: e.kind, status: e.httpStatus });
    }
    return true;
  }

  /** Records a listed item (metadata only) and moves it on: re-acknowledge, re-report or start its intake. */
  async function takeIn(
    client: SvarInnClient,
    system: typeof receivingSystems.$inferSelect,
    f: Forsendelse,
  ): Promise<boolean> {
    let [item] = await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, f.id));
    if (!item) {
      // A NUL or a lone surrogate (in tittel, a name, a file name) cannot be stored: it is replaced by U+FFFD
      // and the item says so, instead of the whole intake stopping at it.
      const { value: m, replaced } = storableJson(f);
      const note =
        replaced.length > 0
          ? `Forsendelsen inneholdt tegn som ikke kan lagres (NUL eller ugyldig UTF-16) i ${replaced
              .slice(0, 10)
              .join(', ')}; de er erstattet med «\uFFFD».`
          : null;
      await createInboundItem(db, {
        id: randomUUID(),
        tenantId: system.tenantId,
        receivingSystemId: system.id,
        forsendelseId: m.id,
        status: 'RECEIVED',
        title: m.tittel,
        orgNumber: m.mottaker.orgnr,
        // Name and number of one party (svarSendesTil; avsender has no number): archive-noark5.md §1.4.17.
        senderName: m.svarSendesTil?.navn ?? m.avsender?.navn ?? null,
        senderOrgNumber: m.svarSendesTil?.orgnr ?? null,
        forsendelseType: m.forsendelseType,
        sentAt: m.date ? new Date(m.date) : null,
        metadata: m,
        intakeNote: note,
      });
      item = await itemOf(m.id);
      await kickWebhooks(item.id);
    }
    if (item.receivingSystemId !== system.id) {
      log().warn('item listed for two receiving systems; kept with the first', { forsendelseId: f.id });
      return false;
    }
    if (item.acknowledgedAt) {
      try {
        await client.acknowledge(f.id);
      } catch (e) {
        // SvarInn no longer knows it: it is stored here, which is what counts.
        if (!(e instanceof SvarInnError && e.kind === 'not-found')) throw e;
      }
      return false;
    }
    if (item.status === 'UNREADABLE') {
      try {
        await client.reportFailed(f.id, {
          permanent: true,
          message: item.failureReason ?? 'Forsendelsen kan ikke leses',
        });
      } catch (e) {
        if (!(e instanceof SvarInnError && e.kind === 'not-found')) throw e;
      }
      return false;
    }
    return startIntake(item);
  }

  async function startIntake({
    forsendelseId,
    tenantId,
  }: {
    forsendelseId: string;
    tenantId: string;
  }): Promise<boolean> {
    try {
      await startInboundItemWorkflow(deps.temporal, {
        taskQueue: deps.taskQueue,
        forsendelseId,
        tenantId,
        timings: {
          flagAfterMs: settings.flagAfterMs,
          autoTriageDelayMs: settings.autoTriageDelayMs,
          deletedRetentionMs: settings.deletedRetentionMs,
        },
      });
      return true;
    } catch (e) {
      if (e instanceof WorkflowExecutionAlreadyStartedError) return false;
      throw e;
    }
  }

  // every activity's errors classified (permanent → non-retryable) and cleaned of query parameters
  return classifyFailures({
    /**
     * One poll of one receiving system: records every listed item (metadata only) and starts its intake
     * workflow. An item we acknowledged or reported that SvarInn still lists (the answer was lost) gets the
     * same answer again. A failing SvarInn is recorded on the receiving system for operators.
     */
    async pollReceivingSystem(
      receivingSystemId: string,
    ): Promise<{ active: boolean; nextPollMs: number; listed: number; started: number }> {
      const idle = { nextPollMs: settings.pollIntervalMs, listed: 0, started: 0 };
      const markPoll = (lastPollError: string | null, lastPollErrorDetail: string | null = null) =>
        db
          .update(receivingSystems)
          .set({ lastPolledAt: new Date(), lastPollError, lastPollErrorDetail })
          .where(eq(receivingSystems.id, receivingSystemId));
      const [system] = await db
        .select()
        .from(receivingSystems)
        .where(eq(receivingSystems.id, receivingSystemId));
      if (!system?.active) return { active: false, ...idle };
      // Also while SvarInn is down: items waiting anywhere too long are shown, whatever holds them up.
      await flagWaiting({ receivingSystemId });
      await sendDigestIfDue(system);
      let client: SvarInnClient;
      try {
        client = await clientFor(receivingSystemId);
      } catch (e) {
        if (!(e instanceof SecretsUnreadableError)) throw e;
        log().error('receiving system credentials unreadable', { receivingSystemId });
        await markPoll(
          'Passord og nøkkel for mottakersystemet kan ikke åpnes med INBOUND_SECRETS_KEY; registrer dem på nytt',
          e.message,
        );
        return { active: true, ...idle };
      }
      let listing: Awaited<ReturnType<SvarInnClient['listNewDetailed']>>;
      try {
        listing = await client.listNewDetailed();
      } catch (e) {
        if (!(e instanceof SvarInnError)) throw e;
        log().warn('SvarInn poll failed', { receivingSystemId, kind: e.kind, status: e.httpStatus });
        await markPoll(POLL_FAILED[e.kind], e.message);
        return { active: true, ...idle };
      }
      let started = 0;
      const notRecorded: string[] = [];
      try {
        // One item at a time, each on its own: a failure of one item's data (or an unexpected exception) is
        // recorded on that item and the others go on; only a service being down ends the round.
        for (const f of listing.items) {
          try {
            if (await takeIn(client, system, f)) started++;
          } catch (e) {
            if (isServiceDown(e)) throw e;
            const reason = inboundReason('INTAKE_FAILED', errorText(e));
            log().error('an item failed in the intake; isolated', {
              forsendelseId: f.id,
              error: errorText(e),
            });
            const raw = storableJson(f.raw).value;
            if (!(await isolate(client, system, { ...listedFields(raw), id: f.id, raw }, reason)))
              notRecorded.push(f.id);
          }
        }
        for (const r of listing.rejected) {
          log().warn('SvarInn listed an item that cannot be read', {
            forsendelseId: r.id,
            problem: r.problem,
          });
          const reason = inboundReason('METADATA_UNREADABLE', r.problem.slice(0, 500));
          if (
            !r.id ||
            !(await isolate(client, system, { ...listedFields(r.raw), id: r.id, raw: r.raw }, reason))
          )
            notRecorded.push(r.id ?? '(uten id)');
        }
      } catch (e) {
        if (!(e instanceof SvarInnError)) throw e;
        log().warn('SvarInn failed during the poll', {
          receivingSystemId,
          kind: e.kind,
          status: e.httpStatus,
        });
        await markPoll(POLL_FAILED[e.kind], e.message);
        return { active: true, ...idle, listed: listing.items.length, started };
      }
      if (notRecorded.length > 0) {
        await markPoll(
          `Forsendelser som verken kunne tas imot eller registreres som feilet: ${notRecorded.slice(0, 20).join(', ')}`,
        );
        return { active: true, nextPollMs: settings.pollIntervalMs, listed: listing.items.length, started };
      }
      await markPoll(null);
      return { active: true, nextPollMs: settings.pollIntervalMs, listed: listing.items.length, started };
    },

    /**
     * Downloads, decrypts and verifies the item, then stores its files and marks it STORED, in one
     * transaction. Whatever fails, it fails for good (UNREADABLE, with the reason in Norwegian) within
     * downloadAttempts attempts, except SvarInn or the database being down, which is waited out.
     */
    async storeItem(forsendelseId: string): Promise<{ files: number }> {
      const item = await itemOf(forsendelseId);
      if (item.storedAt) {
        const stored = await db.select().from(inboundFiles).where(eq(inboundFiles.itemId, item.id));
        return { files: stored.length };
      }
      const attempt = Context.current().info.attempt;
      const unreadable = (code: InboundFailureCode, detail: string) =>
        ApplicationFailure.nonRetryable(
          inboundReason(code, `${detail} (etter ${attempt} forsøk)`),
          FAILURE.UNREADABLE,
        );
      let client: SvarInnClient;
      try {
        client = await clientFor(item.receivingSystemId);
      } catch (e) {
        // The receiving system's configuration, not the item: waited out, and shown on the receiving system.
        if (e instanceof SecretsUnreadableError)
          throw ApplicationFailure.retryable(e.message, FAILURE.SECRETS_UNREADABLE);
        throw e;
      }
      try {
        let files;
        try {
          files = await client.download(item.metadata as Forsendelse);
        } catch (e) {
          if (!(e instanceof SvarInnError)) throw e;
          if (e.kind === 'auth' || e.kind === 'transient') throw svarinnUnavailable(e);
          // A damaged transfer may come right on another try; the rest never will.
          if (!e.retryable || attempt >= settings.downloadAttempts)
            throw unreadable(DOWNLOAD_FAILED[e.kind], e.message);
          throw ApplicationFailure.retryable(e.message, FAILURE.DOWNLOAD_FAILED);
        }
        const rows = files.map((f, position) => ({
          id: randomUUID(),
          itemId: item.id,
          position,
          filename: storableText(f.filename),
          mimeType: storableText(f.mimeType),
          size: f.size,
          sha256: f.sha256,
          content: f.content,
        }));
        await db.transaction(async (tx) => {
          if (rows.length > 0) await tx.insert(inboundFiles).values(rows).onConflictDoNothing();
          await moveInboundIn(tx, {
            forsendelseId: item.forsendelseId,
            to: 'STORED',
            set: { storedAt: new Date(), ...(rows.length === 0 && { intakeNote: NO_FILES }) },
            only: isNull(inboundItems.storedAt),
          });
        });
        await kickWebhooks(item.id);
        return { files: files.length };
      } catch (e) {
        if (e instanceof ApplicationFailure || isServiceDown(e)) throw e;
        // An unexpected exception: tried like a damaged download, then reported, never retried without end.
        log().error('storing an inbound item failed', { forsendelseId, attempt, error: errorText(e) });
        if (attempt >= settings.downloadAttempts) throw unreadable('STORE_FAILED', errorText(e));
        throw ApplicationFailure.retryable(inboundReason('STORE_FAILED', errorText(e)), FAILURE.STORE_FAILED);
      }
    },

    /** kvitterMottak, after the item is stored. */
    async acknowledgeItem(forsendelseId: string): Promise<void> {
      const item = await itemOf(forsendelseId);
      if (!item.storedAt) throw ApplicationFailure.nonRetryable('not stored yet', FAILURE.NOT_STORED);
      const client = await clientFor(item.receivingSystemId);
      try {
        await client.acknowledge(forsendelseId);
      } catch (e) {
        if (!(e instanceof SvarInnError)) throw e;
        // SvarInn no longer has it: someone marked it received; we have it stored, which is what counts.
        if (e.kind === 'not-found') log().warn('acknowledged item is unknown to SvarInn', { forsendelseId });
        else throw svarinnUnavailable(e);
      }
      await transition(forsendelseId, 'AWAITING_TRIAGE', { acknowledgedAt: new Date() }, ['STORED']);
    },

    /** mottakFeilet permanent: SvarUt delivers the item another way. Operators see the reason. */
    async reportUnreadable(forsendelseId: string, reason: string): Promise<void> {
      const item = await itemOf(forsendelseId);
      await transition(forsendelseId, 'UNREADABLE', { failureReason: reason });
      const client = await clientFor(item.receivingSystemId);
      try {
        await client.reportFailed(forsendelseId, { permanent: true, message: reason });
      } catch (e) {
        if (!(e instanceof SvarInnError)) throw e;
        if (e.kind !== 'not-found') throw svarinnUnavailable(e);
      }
    },

    /** The receiving system's forward destinations, and what its rules decide (first round only). */
    async planTriage(
      forsendelseId: string,
      opts: { automatic: boolean },
    ): Promise<{ destinations: string[]; automatic?: TriageRequest }> {
      const item = await itemOf(forsendelseId);
      const [system] = await db
        .select()
        .from(receivingSystems)
        .where(eq(receivingSystems.id, item.receivingSystemId));
      const destinations = system?.forwardDestinations.map((d) => d.id) ?? [];
      if (!opts.automatic || !system) return { destinations };
      // An item without files is for an operator to look at: no rule files or forwards an empty letter.
      const [{ files } = { files: 0 }] = await db
        .select({ files: count() })
        .from(inboundFiles)
        .where(eq(inboundFiles.itemId, item.id));
      if (files === 0) return { destinations };
      const automatic = ruleDecision(
        system.rules,
        { ...item, namedCase: (item.metadata as Forsendelse).metadataForImport },
        destinations,
      );
      if (automatic) return showPending(item.id, { destinations, automatic });
      return { destinations };
    },

    /** The item workflow's own timer ran out while waiting for triage (the poller flags the same way). */
    async flagUntriaged(forsendelseId: string): Promise<void> {
      await flagWaiting({ forsendelseId });
    },

    async recordTriage(forsendelseId: string, d: TriageDecision): Promise<void> {
      const triage: TriageRecord = { ...d, at: new Date().toISOString() };
      const status = d.action === 'archive' ? 'ARCHIVING' : d.action === 'forward' ? 'FORWARDING' : 'DELETED';
      await transition(forsendelseId, status, {
        triage,
        pendingRule: null,
        failureReason: null,
        ...(d.action === 'delete' && {
          filesPurgeAfter: new Date(Date.now() + settings.deletedRetentionMs),
        }),
      });
    },

    async recordTriageFailed(forsendelseId: string, reason: string): Promise<void> {
      await transition(forsendelseId, 'TRIAGE_FAILED', { failureReason: reason });
    },

    /** Files the item in the archive; the forsendelse id is the external key, so a retry never files twice. */
    async archiveItem(forsendelseId: string): Promise<{ journalpostNumber: string }> {
      const item = await itemOf(forsendelseId);
      const triage = item.triage;
      if (triage?.action !== 'archive')
        throw ApplicationFailure.nonRetryable(
          inboundReason('NOT_TRIAGED_FOR_ARCHIVE'),
          FAILURE.TRIAGE_REFUSED,
        );
      const f = item.metadata as Forsendelse;
      const files = await filesOf(item.id);
      const caseRef =
        triage.caseId || triage.caseNumber || triage.caseTitle
          ? {
              ...(triage.caseId && { caseId: triage.caseId }),
              ...(triage.caseNumber && { caseNumber: triage.caseNumber }),
              ...(triage.caseTitle && { title: triage.caseTitle }),
            }
          : undefined;
      // avsender and svarSendesTil may be two parties: each goes as it is (archive-noark5.md §1.4 point 17).
      const a = f.avsender;
      const r = f.svarSendesTil;
      const request: FileIncomingRequest = {
        externalId: forsendelseId,
        ...(caseRef && { caseRef }),
        title: item.title,
        receivedAt: (item.sentAt ?? item.createdAt).toISOString(),
        ...(documentDate(f) && { documentDate: documentDate(f) }),
        ...(a?.navn && {
          sender: {
            name: a.navn,
            address: archiveAddress(
              [a.adresselinje1, a.adresselinje2, a.adresselinje3],
              a.postnr,
              a.poststed,
            ),
          },
        }),
        ...(r?.navn && {
          replyTo: {
            name: r.navn,
            ...(r.orgnr && { orgNumber: r.orgnr }),
            ...(r.fnr && !r.orgnr && { nationalId: r.fnr }),
            address: archiveAddress([r.adresse1, r.adresse2, r.adresse3], r.postnr, r.poststed),
          },
        }),
        ...(!a?.navn && !r?.navn && { sender: { name: 'Ukjent avsender' } }),
        documents: files.map((file, i) => ({
          filename: file.filename,
          mimeType: file.mimeType,
          content: file.content,
          role: i === 0 ? 'H' : 'V',
        })),
      };
      try {
        const filed = await deps.archive.fileIncoming(request);
        await transition(forsendelseId, 'ARCHIVED', {
          journalpostNumber: filed.journalpostNumber,
          archiveCaseNumber: filed.caseNumber ?? filed.caseId,
        });
        return { journalpostNumber: filed.journalpostNumber };
      } catch (e) {
        // Refused (with the archive's own words): an operator decides again. Unavailable: retried.
        if (e instanceof ArchiveRefusedError)
          throw ApplicationFailure.nonRetryable(
            inboundReason('ARCHIVE_REFUSED', e.message),
            FAILURE.TRIAGE_REFUSED,
          );
        throw e;
      }
    },

    /** E-mails the item with its files to the chosen destination; the Message-ID is stable per item. */
    async forwardItem(forsendelseId: string): Promise<void> {
      const item = await itemOf(forsendelseId);
      const triage = item.triage;
      const [system] = await db
        .select()
        .from(receivingSystems)
        .where(eq(receivingSystems.id, item.receivingSystemId));
      const destination = system?.forwardDestinations.find((d) => d.id === triage?.destination);
      if (triage?.action !== 'forward' || !destination)
        throw ApplicationFailure.nonRetryable(
          inboundReason('FORWARD_DESTINATION_UNKNOWN', triage?.destination ?? '(ingen)'),
          FAILURE.TRIAGE_REFUSED,
        );
      const files = await filesOf(item.id);
      try {
        await deps.mailer.forward({
          to: destination.email,
          subject: item.title,
          text: [
            `Videresendt fra SvarInn (forsendelse ${forsendelseId}).`,
            `Tittel: ${item.title}`,
            `Avsender: ${item.senderName ?? 'ukjent'}`,
            `Mottatt: ${(item.sentAt ?? item.createdAt).toISOString()}`,
          ].join('\n'),
          attachments: files.map((file) => ({
            filename: file.filename,
            contentType: file.mimeType,
            content: file.content,
          })),
          messageId: `svarinn-${forsendelseId}`,
        });
      } catch (e) {
        if (e instanceof MailForwardError && !e.retryable)
          throw ApplicationFailure.nonRetryable(
            inboundReason('FORWARD_REFUSED', e.message),
            FAILURE.TRIAGE_REFUSED,
          );
        throw e;
      }
      await transition(forsendelseId, 'FORWARDED', { forwardedTo: destination.email });
    },

    /** A deleted item's retention has run out: its files go, its metadata and reason stay. */
    async purgeFiles(forsendelseId: string): Promise<void> {
      const item = await itemOf(forsendelseId);
      await db.transaction(async (tx) => {
        await tx.update(inboundFiles).set({ content: null }).where(eq(inboundFiles.itemId, item.id));
        await tx
          .update(inboundItems)
          .set({ filesPurgedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(inboundItems.id, item.id), isNull(inboundItems.filesPurgedAt)));
      });
    },
  });

  async function filesOf(itemId: string) {
    const rows = await db
      .select()
      .from(inboundFiles)
      .where(eq(inboundFiles.itemId, itemId))
      .orderBy(asc(inboundFiles.position));
    return rows.map((r) => {
      if (!r.content)
        throw ApplicationFailure.nonRetryable(
          inboundReason('FILES_PURGED', r.filename),
          FAILURE.TRIAGE_REFUSED,
        );
      return { ...r, content: r.content };
    });
  }
}

/** Items listed by name in a digest; the rest are counted. */
const DIGEST_LINES = 50;

/** What an operator reads on the receiving system when a poll fails, by the client's error kind. */
const POLL_FAILED: Record<SvarInnErrorKind, string> = {
  auth: 'SvarInn avviste brukernavn eller passord for mottakersystemet',
  transient: 'SvarInn svarer ikke; prøver igjen ved neste henting',
  'not-found': 'SvarInn kjenner ikke adressen',
  corrupt: 'SvarInn sendte et svar som ikke kan leses',
  checksum: 'SvarInn sendte et svar som ikke kan leses',
  'wrong-key': 'Mottakersystemets nøkkel kan ikke brukes',
  protocol: 'SvarInn svarte noe uventet',
};

const NO_FILES =
  'Forsendelsen har ingen filer (SvarUt sendte en tom ZIP). Slett den, eller arkiver den uten dokumenter.';

/** What an operator reads when a download can never be stored, by the client's error kind. */
const DOWNLOAD_FAILED: Record<SvarInnErrorKind, InboundFailureCode> = {
  auth: 'SVARINN_AUTH',
  transient: 'SVARINN_UNAVAILABLE',
  'not-found': 'SVARINN_NOT_FOUND',
  corrupt: 'CORRUPT',
  checksum: 'CHECKSUM',
  'wrong-key': 'WRONG_KEY',
  protocol: 'PROTOCOL',
};

/** The title and organisation number of a listed element, where it has them (it may not be readable). */
function listedFields(raw: unknown): { tittel?: unknown; orgnr?: unknown } {
  if (typeof raw !== 'object' || raw === null) return {};
  const r = raw as { tittel?: unknown; mottaker?: { orgnr?: unknown } | null };
  return { tittel: r.tittel, orgnr: typeof r.mottaker === 'object' ? r.mottaker?.orgnr : undefined };
}

function documentDate(f: Forsendelse): string | undefined {
  return f.metadataForImport?.dokumentetsDato ?? f.metadataFraAvleverendeSystem?.dokumentetsDato ?? undefined;
}

export type InboundActivities = ReturnType<typeof createInboundActivities>;

function archiveAddress(
  lines: (string | null | undefined)[],
  postnr?: string | null,
  poststed?: string | null,
) {
  return {
    lines: lines.filter((l): l is string => !!l),
    ...(postnr && { postalCode: postnr }),
    ...(poststed && { city: poststed }),
  };
}
