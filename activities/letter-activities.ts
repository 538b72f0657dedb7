// Activity factory: thin wrappers over the database and the renderer. Each is idempotent.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection';
import { letterDocuments, letterEvents, letters } from '../db/schema';
import { renderLetterPdf } from '../documents/letter-pdf';
import { PDFDocument } from 'pdf-lib';
import { ApplicationFailure } from '@temporalio/common';
import { DigipostError, type DigipostClient, type PrintAddress } from '../integrations/digipost/client';

interface Recipient {
  name: string;
  nationalId: string;
  address: { lines: string[]; postalCode: string; city: string };
}

export interface LetterActivityDeps {
  db: Db;
  digipost: DigipostClient;
  /** The sender's return address printed on fallback letters. */
  returnAddress: PrintAddress;
}

/** The statuses users know: Venter, Sendt web, Sendt print, Ikke sendt. */
export type SendOutcome = 'SENT_DIGITAL' | 'SENT_PRINT' | 'WAITING';

export function createLetterActivities({ db, digipost, returnAddress }: LetterActivityDeps) {
  return {
    /** Renders version 1 of the letter's document and stores it; a retry finds the stored version. */
    async produceDocument(letterId: string): Promise<{ version: number }> {
      const version = 1;
      const existing = await db
        .select({ v: letterDocuments.version })
        .from(letterDocuments)
        .where(and(eq(letterDocuments.letterId, letterId), eq(letterDocuments.version, version)));
      if (existing.length > 0) return { version };
      const [letter] = await db.select().from(letters).where(eq(letters.id, letterId));
      if (!letter) throw ApplicationFailure.nonRetryable(`letter ${letterId} not found`, 'LetterNotFound');
      const r = letter.recipient as Recipient;
      const pdf = await renderLetterPdf({
        title: letter.templateCode,
        addressLines: [r.name, ...r.address.lines, `${r.address.postalCode} ${r.address.city}`],
        fields: letter.mergeData as Record<string, string | number>,
      });
      const pages = (await PDFDocument.load(pdf)).getPageCount();
      await db
        .insert(letterDocuments)
        .values({
          letterId,
          version,
          documentUuid: randomUUID(),
          pdf: Buffer.from(pdf).toString('base64'),
          sha256: createHash('sha256').update(pdf).digest('hex'),
          pages,
        })
        .onConflictDoNothing();
      return { version };
    },

    /**
     * Sends the stored version to Digipost with print fallback. The message id is the document uuid of the
     * version, so a retry after a crash or timeout cannot deliver twice: Digipost answers DUPLICATE_MESSAGE,
     * and the channel is then read from document status.
     */
    async sendToDigipost(letterId: string, version: number): Promise<SendOutcome> {
      const [row] = await db
        .select({ letter: letters, doc: letterDocuments })
        .from(letters)
        .innerJoin(letterDocuments, eq(letterDocuments.letterId, letters.id))
        .where(and(eq(letters.id, letterId), eq(letterDocuments.version, version)));
      if (!row)
        throw ApplicationFailure.nonRetryable(`letter ${letterId} v${version} not found`, 'LetterNotFound');
      const r = row.letter.recipient as Recipient;
      try {
        const result = await digipost.send({
          messageId: row.doc.documentUuid,
          documentUuid: row.doc.documentUuid,
          subject: row.letter.templateCode,
          pdf: Buffer.from(row.doc.pdf, 'base64'),
          nationalId: r.nationalId,
          print: {
            recipient: {
              name: r.name,
              lines: r.address.lines,
              postalCode: r.address.postalCode,
              city: r.address.city,
            },
            returnAddress,
          },
        });
        const channel = result.alreadyAccepted
          ? (await digipost.documentStatus(row.doc.documentUuid)).channel
          : result.channel;
        if (channel === 'DIGIPOST') return 'SENT_DIGITAL';
        if (channel === 'PRINT') return 'SENT_PRINT';
        return 'WAITING';
      } catch (e) {
        if (e instanceof DigipostError && !e.retryable)
          throw ApplicationFailure.nonRetryable(e.message, `Digipost.${e.code}`);
        throw e;
      }
    },

    /** Records a status transition once per (letter, status, cause). */
    async recordStatus(letterId: string, status: string, cause: string): Promise<void> {
      const id = createHash('sha256').update(`${letterId}|${status}|${cause}`).digest('hex').slice(0, 32);
      await db.insert(letterEvents).values({ id, letterId, status, cause }).onConflictDoNothing();
      const channel = status === 'SENT_DIGITAL' ? 'DIGIPOST' : status === 'SENT_PRINT' ? 'PRINT' : undefined;
      await db
        .update(letters)
        .set({ status, updatedAt: new Date(), ...(channel ? { channel } : {}) })
        .where(eq(letters.id, letterId));
    },
  };
}

export type LetterActivities = ReturnType<typeof createLetterActivities>;
