// Activity factory: thin wrappers over the database and the renderer. Each is idempotent.
import { createHash, randomUUID } from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import type { Db } from '../db/connection';
import { letterDocuments, letterEvents, letters } from '../db/schema';
import { renderLetterPdf } from '../documents/letter-pdf';
import { PDFDocument } from 'pdf-lib';
import { ApplicationFailure } from '@temporalio/common';

interface Recipient {
  name: string;
  address: { lines: string[]; postalCode: string; city: string };
}

export function createLetterActivities({ db }: { db: Db }) {
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

    /** Records a status transition once per (letter, status, cause). */
    async recordStatus(letterId: string, status: string, cause: string): Promise<void> {
      const id = createHash('sha256').update(`${letterId}|${status}|${cause}`).digest('hex').slice(0, 32);
      await db.insert(letterEvents).values({ id, letterId, status, cause }).onConflictDoNothing();
      await db.update(letters).set({ status, updatedAt: new Date() }).where(eq(letters.id, letterId));
    },
  };
}

export type LetterActivities = ReturnType<typeof createLetterActivities>;
