// Activities of the letter workflow: produce a document version, apply a correction, send alone, record what
// Digipost reports. Each is idempotent: versions are stored once, and status moves are guarded by the
// expected current status (db/transitions.ts).
import { createHash, randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/connection';
import { letterDocuments, letters, tenants } from '../db/schema';
import { createTransitionRecorder } from '../temporal/letter-transitions';
import type { Client } from '@temporalio/client';
import { goesToDigipost, isDigipostCompatible, renderTemplate, TemplateError } from '../documents';
import type { DigipostClient } from '../integrations/digipost/client';
import { failureReason, type LetterStatus } from '../domain/letter-status';
import { FAILURE, templateFailureType } from '../domain/failure-types';
import type { PostalAddress } from '../domain/postal-address';
import {
  confirmDelivery,
  currentTaskQueue,
  sentStatus,
  submitLetter,
  type StoredRecipient,
} from './digipost-submit';

export interface LetterActivityDeps {
  db: Db;
  digipost: DigipostClient;
  /** Wakes webhook delivery after each status change. */
  temporal: Client;
}

/** A corrected address, as the correction signal carries it (encrypted in history by the payload codec). */
export interface AddressCorrection {
  name?: string;
  address: Required<PostalAddress>;
}

export function createLetterActivities({ db, digipost, temporal }: LetterActivityDeps) {
  const recordTransition = createTransitionRecorder({ db, temporal, taskQueue: currentTaskQueue });
  async function loadLetter(letterId: string) {
    const [row] = await db
      .select({ letter: letters, tenant: tenants })
      .from(letters)
      .innerJoin(tenants, eq(tenants.id, letters.tenantId))
      .where(eq(letters.id, letterId));
    if (!row) throw ApplicationFailure.nonRetryable(`letter ${letterId} not found`, FAILURE.LETTER_NOT_FOUND);
    return row;
  }

  /**
   * Renders and stores `version` of the letter's document unless it is stored already (`stored`: the caller
   * knows it is, from its own read of the letter).
   */
  async function storeVersion(
    letter: { id: string; templateCode: string; mergeData: unknown },
    version: number,
    recipient: StoredRecipient,
    stored?: boolean,
  ) {
    if (stored ?? (await hasVersion(letter.id, version))) return;
    let rendered;
    try {
      rendered = await renderTemplate(letter.templateCode, letter.mergeData, recipient);
    } catch (e) {
      if (e instanceof TemplateError)
        throw ApplicationFailure.nonRetryable(e.message, templateFailureType(e.code));
      throw e;
    }
    const document = {
      letterId: letter.id,
      version,
      documentUuid: randomUUID(),
      pdf: Buffer.from(rendered.pdf).toString('base64'),
      sha256: createHash('sha256').update(rendered.pdf).digest('hex'),
      pages: rendered.pages,
    };
    // version 1 is one row (its attachments were stored with the letter): one statement, no transaction
    if (version === 1) {
      await db.insert(letterDocuments).values(document).onConflictDoNothing();
      return;
    }
    await db.transaction(async (tx) => {
      await tx.insert(letterDocuments).values(document).onConflictDoNothing();
      // the attachments go with every later version, each version's under new Digipost document uuids; in the
      // same transaction, so a stored version always has them
      await tx.execute(sql`
        insert into letter_attachments
          (letter_id, version, position, document_uuid, title, pdf_base64, sha256, pages)
        select letter_id, ${version}, position, gen_random_uuid(), title, pdf_base64, sha256, pages
        from letter_attachments where letter_id = ${letter.id} and version = ${version - 1}
        on conflict do nothing`);
    });
  }

  async function hasVersion(letterId: string, version: number): Promise<boolean> {
    const existing = await db
      .select({ v: letterDocuments.version })
      .from(letterDocuments)
      .where(and(eq(letterDocuments.letterId, letterId), eq(letterDocuments.version, version)));
    return existing.length > 0;
  }

  return {
    /**
     * Produces version 1. A Digipost-compatible template is queued for the next run; any other is left for
     * the tenant to send itself (its PDF is downloadable), never sent to Digipost.
     */
    async produceLetter(letterId: string): Promise<{ status: LetterStatus; version: number }> {
      // one read: what to render, and whether an earlier attempt stored version 1 already
      const [letter] = await db
        .select({
          id: letters.id,
          templateCode: letters.templateCode,
          mergeData: letters.mergeData,
          recipient: letters.recipient,
          caseFlow: letters.caseFlow,
          stored: sql<boolean>`exists (select 1 from ${letterDocuments} where ${letterDocuments.letterId} = ${letters.id} and ${letterDocuments.version} = 1)`,
        })
        .from(letters)
        .where(eq(letters.id, letterId));
      if (!letter)
        throw ApplicationFailure.nonRetryable(`letter ${letterId} not found`, FAILURE.LETTER_NOT_FOUND);
      await storeVersion(letter, 1, letter.recipient as StoredRecipient, letter.stored);
      const to: LetterStatus = goesToDigipost(letter.templateCode, letter.caseFlow) ? 'QUEUED' : 'SELF_SEND';
      const moved = await recordTransition({
        letterId,
        from: ['RECEIVED'],
        to,
        cause:
          to === 'QUEUED'
            ? 'Dokument versjon 1 produsert og lagt i kø for neste kjøring'
            : isDigipostCompatible(letter.templateCode)
              ? `Dokument produsert til egen utsendelse: saksgangen «${letter.caseFlow}» går ikke gjennom Digipost`
              : 'Dokument produsert; malen er ikke Digipost-kompatibel, så brevet sendes av avsender selv',
      });
      if (moved) return { status: to, version: 1 };
      // moved by an earlier attempt (and maybe on since): the status it has now
      const [now] = await db.select({ status: letters.status }).from(letters).where(eq(letters.id, letterId));
      return { status: now!.status, version: 1 };
    },

    /**
     * Produces the next version with the corrected address and queues it again, or sends it at once, as the
     * tenant has chosen. Returns what happened next.
     */
    async applyCorrection(
      letterId: string,
      fromVersion: number,
      correction: AddressCorrection,
    ): Promise<{ version: number; status: LetterStatus }> {
      const { letter, tenant } = await loadLetter(letterId);
      const version = fromVersion + 1;
      const before = letter.recipient as StoredRecipient;
      const recipient: StoredRecipient = {
        ...before,
        name: correction.name ?? before.name,
        address: correction.address,
      };
      await storeVersion(letter, version, recipient);
      const sendNow = tenant.correctionMode === 'SEND_NOW';
      await recordTransition({
        letterId,
        from: ['NOT_SENT'],
        to: sendNow ? 'WAITING' : 'QUEUED',
        cause: `Adressen er rettet; dokument versjon ${version} produsert${sendNow ? ' og sendes nå' : ' og lagt i kø'}`,
        set: { version, recipient, runId: null, submittedAt: null },
      });
      return { version, status: sendNow ? 'WAITING' : 'QUEUED' };
    },

    /** Sends the current version on its own (not in a run): used after a correction when the tenant wants it. */
    async sendAlone(letterId: string): Promise<LetterStatus> {
      const outcome = await submitLetter(db, digipost, letterId);
      if (outcome.kind === 'REFUSED') {
        await recordTransition({
          letterId,
          from: ['WAITING'],
          to: 'NOT_SENT',
          cause: outcome.reason,
          failure: { code: outcome.code, reason: outcome.reason },
        });
        return 'NOT_SENT';
      }
      const sent = outcome.delivered ? sentStatus(outcome.channel) : undefined;
      await recordTransition({
        letterId,
        from: ['WAITING'],
        to: sent ?? 'WAITING',
        channel: outcome.channel ?? null,
        cause: sent ? `Levert av Digipost (${outcome.channel})` : 'Mottatt av Digipost, venter på levering',
        set: { submittedAt: new Date() },
      });
      return sent ?? 'WAITING';
    },

    /**
     * Polls document status until Digipost has delivered (benign failure while not yet: the retry policy
     * waits); then the letter is Sendt web or Sendt print.
     */
    async confirmDelivery(letterId: string): Promise<LetterStatus> {
      const sent = await confirmDelivery(db, digipost, recordTransition, letterId);
      if (!sent)
        throw ApplicationFailure.create({
          message: 'not delivered yet',
          type: FAILURE.NOT_DELIVERED_YET,
          category: 'BENIGN',
        });
      return sent;
    },

    /** A late PRINT_FAILED or SHREDDED: the letter did not reach the recipient after all. */
    async recordDeliveryFailure(letterId: string, eventType: string, detail?: string): Promise<LetterStatus> {
      await recordTransition({
        letterId,
        from: ['SENT_PRINT', 'SENT_DIGITAL', 'WAITING'],
        to: 'NOT_SENT',
        cause: `Digipost meldte ${eventType}${detail ? `: ${detail}` : ''}`,
        failure: { code: eventType, reason: failureReason(eventType, detail) },
      });
      return 'NOT_SENT';
    },

    /**
     * A permanent failure (activities/failures.ts) made visible: the letter is Ikke sendt with the reason in
     * words, so it is on the failure list and a correction can still mend it. Production failed: from
     * RECEIVED (version 0 is then corrected into version 1). A correction refused: it stays Ikke sendt.
     */
    async recordPermanentFailure(
      letterId: string,
      code: 'PRODUCTION_FAILED' | 'CORRECTION_REFUSED',
      detail: string,
    ): Promise<{ status: LetterStatus; version: number }> {
      const reason = failureReason(code);
      await recordTransition({
        letterId,
        from: code === 'PRODUCTION_FAILED' ? ['RECEIVED'] : ['NOT_SENT'],
        to: 'NOT_SENT',
        cause: `${reason} (${detail.slice(0, 300)})`,
        failure: { code, reason },
      });
      const [now] = await db
        .select({ status: letters.status, version: letters.version })
        .from(letters)
        .where(eq(letters.id, letterId));
      return {
        status: now!.status,
        version: code === 'PRODUCTION_FAILED' ? 0 : now!.version,
      };
    },

    /** The letter's life is over: the event window passed, or a failure was not corrected in time. */
    async closeLetter(letterId: string, uncorrected: boolean): Promise<void> {
      if (uncorrected) {
        await recordTransition({
          letterId,
          from: ['NOT_SENT'],
          to: 'NOT_SENT',
          cause: failureReason('NOT_CORRECTED'),
          set: { closedAt: new Date() },
        });
      } else {
        await db.update(letters).set({ closedAt: new Date() }).where(eq(letters.id, letterId));
      }
    },
  };
}

export type LetterActivities = ReturnType<typeof createLetterActivities>;
