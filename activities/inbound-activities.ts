// Activity factory for inbound items: thin wrappers over SvarInn, the database, the archive and the mail
// forwarder. Every activity is keyed by the forsendelse id and is idempotent, so a retry after a crash at any
// point repeats nothing that already happened.
import { randomUUID } from 'node:crypto';
import { and, asc, eq, inArray, isNull } from 'drizzle-orm';
import { Context } from '@temporalio/activity';
import { ApplicationFailure } from '@temporalio/common';
import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import type { Db } from '../db/connection';
import { inboundFiles, inboundItems, receivingSystems, type TriageRecord } from '../db/schema';
import { receivingSystemCredentials, SecretsUnreadableError } from '../db/receiving-systems';
import type { SecretBox } from '../db/secret-box';
import { SvarInnClient, SvarInnError, type Forsendelse } from '../integrations/svarinn';
import { ArchiveError, type ArchiveClient, type FileIncomingRequest } from '../integrations/archive/client';
import { MailForwardError, type MailForwarder } from '../integrations/mail/forward';
import type { TriageRequest } from '../workflows/inbound-messages';
import type { InboundTimings } from '../workflows/inbound-item-workflow';
import { inboundItemWorkflow } from '../workflows';
import { classifyFailures } from './failures';

export type TriageDecision = TriageRequest & { by: 'rule' | 'operator' };

export interface InboundSettings extends InboundTimings {
  svarinnBaseUrl: string;
  pollIntervalMs: number;
  /** Corrupt or unverifiable downloads are tried this many times before the item is reported unreadable. */
  downloadAttempts: number;
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

// Must match the workflow's constants; repeated here because workflows may not be imported for values.
const UNREADABLE = 'Unreadable';
const TRIAGE_REFUSED = 'TriageRefused';

export const intakeWorkflowId = (forsendelseId: string) => `svarinn-${forsendelseId}`;

export function createInboundActivities(deps: InboundActivityDeps) {
  const { db, secrets, settings } = deps;
  const makeClient = deps.svarinnClient ?? ((opts) => new SvarInnClient(opts));
  const log = () => Context.current().log;

  async function clientFor(receivingSystemId: string): Promise<SvarInnClient> {
    const creds = await receivingSystemCredentials(db, secrets, receivingSystemId);
    if (!creds)
      throw ApplicationFailure.nonRetryable(`receiving system ${receivingSystemId} is gone`, 'NotFound');
    return makeClient({
      baseUrl: settings.svarinnBaseUrl,
      username: creds.username,
      password: creds.password,
      privateKeyPem: creds.privateKeyPem,
    });
  }

  async function itemOf(forsendelseId: string) {
    const [item] = await db.select().from(inboundItems).where(eq(inboundItems.forsendelseId, forsendelseId));
    if (!item) throw ApplicationFailure.nonRetryable(`no inbound item ${forsendelseId}`, 'NotFound');
    return item;
  }

  async function setItem(forsendelseId: string, values: Partial<typeof inboundItems.$inferInsert>) {
    await db
      .update(inboundItems)
      .set({ ...values, updatedAt: new Date() })
      .where(eq(inboundItems.forsendelseId, forsendelseId));
  }

  /** SvarInn being away or refusing our credentials is retried; it says nothing about the item. */
  const svarinnUnavailable = (e: SvarInnError) =>
    ApplicationFailure.retryable(e.message, 'SvarInnUnavailable');

  async function startIntake(forsendelseId: string): Promise<boolean> {
    try {
      await deps.temporal.workflow.start(inboundItemWorkflow, {
        taskQueue: deps.taskQueue,
        workflowId: intakeWorkflowId(forsendelseId),
        // A running intake is left alone; a finished one is never started again.
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        args: [
          {
            forsendelseId,
            timings: {
              flagAfterMs: settings.flagAfterMs,
              autoTriageDelayMs: settings.autoTriageDelayMs,
              deletedRetentionMs: settings.deletedRetentionMs,
            },
          },
        ],
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
      const markPoll = (lastPollError: string | null) =>
        db
          .update(receivingSystems)
          .set({ lastPolledAt: new Date(), lastPollError })
          .where(eq(receivingSystems.id, receivingSystemId));
      const [system] = await db
        .select()
        .from(receivingSystems)
        .where(eq(receivingSystems.id, receivingSystemId));
      if (!system?.active) return { active: false, ...idle };
      let client: SvarInnClient;
      try {
        client = await clientFor(receivingSystemId);
      } catch (e) {
        if (!(e instanceof SecretsUnreadableError)) throw e;
        log().error('receiving system credentials unreadable', { receivingSystemId });
        await markPoll(e.message);
        return { active: true, ...idle };
      }
      let listing: Awaited<ReturnType<SvarInnClient['listNewDetailed']>>;
      try {
        listing = await client.listNewDetailed();
      } catch (e) {
        if (!(e instanceof SvarInnError)) throw e;
        log().warn('SvarInn poll failed', { receivingSystemId, kind: e.kind, status: e.httpStatus });
        await markPoll(e.message);
        return { active: true, ...idle };
      }
      let started = 0;
      for (const f of listing.items) {
        await db
          .insert(inboundItems)
          .values({
            id: randomUUID(),
            tenantId: system.tenantId,
            receivingSystemId,
            forsendelseId: f.id,
            status: 'RECEIVED',
            title: f.tittel,
            orgNumber: f.mottaker.orgnr,
            senderName: f.avsender?.navn ?? f.svarSendesTil?.navn ?? null,
            senderOrgNumber: f.svarSendesTil?.orgnr ?? null,
            forsendelseType: f.forsendelseType,
            sentAt: f.date ? new Date(f.date) : null,
            metadata: f,
          })
          .onConflictDoNothing({ target: inboundItems.forsendelseId });
        const item = await itemOf(f.id);
        if (item.receivingSystemId !== receivingSystemId) {
          log().warn('item listed for two receiving systems; kept with the first', { forsendelseId: f.id });
          continue;
        }
        if (item.acknowledgedAt) await client.acknowledge(f.id);
        else if (item.status === 'UNREADABLE')
          await client.reportFailed(f.id, { permanent: true, message: item.failureReason ?? 'unreadable' });
        else if (await startIntake(f.id)) started++;
      }
      for (const r of listing.rejected) {
        log().warn('SvarInn listed an item that cannot be read', { forsendelseId: r.id, problem: r.problem });
        if (r.id)
          await client.reportFailed(r.id, {
            permanent: true,
            message: `metadata cannot be read: ${r.problem}`,
          });
      }
      await markPoll(null);
      return { active: true, nextPollMs: settings.pollIntervalMs, listed: listing.items.length, started };
    },

    /** Downloads, decrypts and verifies the item, then stores its files and marks it STORED, in one transaction. */
    async storeItem(forsendelseId: string): Promise<{ files: number }> {
      const item = await itemOf(forsendelseId);
      if (item.storedAt) {
        const stored = await db.select().from(inboundFiles).where(eq(inboundFiles.itemId, item.id));
        return { files: stored.length };
      }
      const client = await clientFor(item.receivingSystemId);
      const attempt = Context.current().info.attempt;
      let files;
      try {
        files = await client.download(item.metadata as Forsendelse);
      } catch (e) {
        if (!(e instanceof SvarInnError)) throw e;
        if (e.kind === 'wrong-key' || e.kind === 'protocol')
          throw ApplicationFailure.nonRetryable(e.message, UNREADABLE);
        if (e.kind === 'auth' || e.kind === 'transient') throw svarinnUnavailable(e);
        // corrupt, checksum, not-found: perhaps the transfer; after the last attempt, never.
        if (attempt >= settings.downloadAttempts)
          throw ApplicationFailure.nonRetryable(`${e.message} (after ${attempt} attempts)`, UNREADABLE);
        throw ApplicationFailure.retryable(e.message, 'DownloadFailed');
      }
      await db.transaction(async (tx) => {
        await tx
          .insert(inboundFiles)
          .values(
            files.map((f, position) => ({
              id: randomUUID(),
              itemId: item.id,
              position,
              filename: f.filename,
              mimeType: f.mimeType,
              size: f.size,
              sha256: f.sha256,
              content: f.content,
            })),
          )
          .onConflictDoNothing();
        await tx
          .update(inboundItems)
          .set({ status: 'STORED', storedAt: new Date(), updatedAt: new Date() })
          .where(and(eq(inboundItems.id, item.id), isNull(inboundItems.storedAt)));
      });
      return { files: files.length };
    },

    /** kvitterMottak, after the item is stored. */
    async acknowledgeItem(forsendelseId: string): Promise<void> {
      const item = await itemOf(forsendelseId);
      if (!item.storedAt) throw ApplicationFailure.nonRetryable('not stored yet', 'NotStored');
      const client = await clientFor(item.receivingSystemId);
      try {
        await client.acknowledge(forsendelseId);
      } catch (e) {
        if (!(e instanceof SvarInnError)) throw e;
        // SvarInn no longer has it: someone marked it received; we have it stored, which is what counts.
        if (e.kind === 'not-found') log().warn('acknowledged item is unknown to SvarInn', { forsendelseId });
        else throw svarinnUnavailable(e);
      }
      await db
        .update(inboundItems)
        .set({ status: 'AWAITING_TRIAGE', acknowledgedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(inboundItems.forsendelseId, forsendelseId), eq(inboundItems.status, 'STORED')));
    },

    /** mottakFeilet permanent: SvarUt delivers the item another way. Operators see the reason. */
    async reportUnreadable(forsendelseId: string, reason: string): Promise<void> {
      const item = await itemOf(forsendelseId);
      await setItem(forsendelseId, { status: 'UNREADABLE', failureReason: reason });
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
      const f = item.metadata as Forsendelse;
      const imp = f.metadataForImport;
      if (system.rules.archiveIntoNamedCase && imp?.saksaar && imp.sakssekvensnummer)
        return {
          destinations,
          automatic: { action: 'archive', caseNumber: `${imp.saksaar}/${imp.sakssekvensnummer}` },
        };
      const rule = system.rules.forward.find(
        (r) =>
          (r.senderOrgNumber ?? r.forsendelseType) !== undefined &&
          (r.senderOrgNumber === undefined || r.senderOrgNumber === item.senderOrgNumber) &&
          (r.forsendelseType === undefined || r.forsendelseType === item.forsendelseType),
      );
      if (rule && destinations.includes(rule.destination))
        return { destinations, automatic: { action: 'forward', destination: rule.destination } };
      return { destinations };
    },

    async flagUntriaged(forsendelseId: string): Promise<void> {
      await db
        .update(inboundItems)
        .set({ flaggedAt: new Date(), updatedAt: new Date() })
        .where(
          and(
            eq(inboundItems.forsendelseId, forsendelseId),
            inArray(inboundItems.status, ['AWAITING_TRIAGE', 'TRIAGE_FAILED']),
            isNull(inboundItems.flaggedAt),
          ),
        );
    },

    async recordTriage(forsendelseId: string, d: TriageDecision): Promise<void> {
      const triage: TriageRecord = { ...d, at: new Date().toISOString() };
      const status = d.action === 'archive' ? 'ARCHIVING' : d.action === 'forward' ? 'FORWARDING' : 'DELETED';
      await setItem(forsendelseId, {
        status,
        triage,
        failureReason: null,
        ...(d.action === 'delete' && {
          filesPurgeAfter: new Date(Date.now() + settings.deletedRetentionMs),
        }),
      });
    },

    async recordTriageFailed(forsendelseId: string, reason: string): Promise<void> {
      await setItem(forsendelseId, { status: 'TRIAGE_FAILED', failureReason: reason });
    },

    /** Files the item in the archive; the forsendelse id is the external key, so a retry never files twice. */
    async archiveItem(forsendelseId: string): Promise<{ journalpostNumber: string }> {
      const item = await itemOf(forsendelseId);
      const triage = item.triage;
      if (triage?.action !== 'archive')
        throw ApplicationFailure.nonRetryable('the item is not triaged for archiving', TRIAGE_REFUSED);
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
      const a = f.avsender;
      const request: FileIncomingRequest = {
        externalId: forsendelseId,
        ...(caseRef && { caseRef }),
        title: item.title,
        receivedAt: (item.sentAt ?? item.createdAt).toISOString(),
        ...(documentDate(f) && { documentDate: documentDate(f) }),
        sender: {
          name: a?.navn ?? f.svarSendesTil?.navn ?? 'Ukjent avsender',
          ...(f.svarSendesTil?.orgnr && { orgNumber: f.svarSendesTil.orgnr }),
          ...(f.svarSendesTil?.fnr && { nationalId: f.svarSendesTil.fnr }),
          ...(a && {
            address: {
              lines: [a.adresselinje1, a.adresselinje2, a.adresselinje3].filter((l): l is string => !!l),
              ...(a.postnr && { postalCode: a.postnr }),
              ...(a.poststed && { city: a.poststed }),
            },
          }),
        },
        documents: files.map((file, i) => ({
          filename: file.filename,
          mimeType: file.mimeType,
          content: file.content,
          role: i === 0 ? 'H' : 'V',
        })),
      };
      try {
        const filed = await deps.archive.fileIncoming(request);
        await setItem(forsendelseId, {
          status: 'ARCHIVED',
          journalpostNumber: filed.journalpostNumber,
          archiveCaseNumber: filed.caseNumber ?? filed.caseId,
        });
        return { journalpostNumber: filed.journalpostNumber };
      } catch (e) {
        if (e instanceof ArchiveError && !e.retryable)
          throw ApplicationFailure.nonRetryable(`the archive refused: ${e.message}`, TRIAGE_REFUSED);
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
          `forward destination ${triage?.destination ?? '(none)'} is not configured`,
          TRIAGE_REFUSED,
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
          throw ApplicationFailure.nonRetryable(`the mail server refused: ${e.message}`, TRIAGE_REFUSED);
        throw e;
      }
      await setItem(forsendelseId, { status: 'FORWARDED', forwardedTo: destination.email });
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
        throw ApplicationFailure.nonRetryable(`file ${r.filename} has been purged`, TRIAGE_REFUSED);
      return { ...r, content: r.content };
    });
  }
}

function documentDate(f: Forsendelse): string | undefined {
  return f.metadataForImport?.dokumentetsDato ?? f.metadataFraAvleverendeSystem?.dokumentetsDato ?? undefined;
}

export type InboundActivities = ReturnType<typeof createInboundActivities>;
