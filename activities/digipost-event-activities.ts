// Document events polled from Digipost (digipost-api.md §8): one poller per broker account, a persisted
// cursor, overlapping windows (the ordering and inclusiveness of `to` are unconfirmed), de-duplicated on
// (document uuid, type, created). Each new event is stored before it is handed to its letter's workflow, and
// marked once handed over, so a crash in between hands it over again rather than losing it.
import { randomUUID } from 'node:crypto';
import { and, eq, isNull } from 'drizzle-orm';
import { WorkflowNotFoundError } from '@temporalio/common';
import type { Client } from '@temporalio/client';
import { Context } from '@temporalio/activity';
import type { Db } from '../db/connection';
import { digipostEventCursors, digipostEvents, letterDocuments } from '../db/schema';
import type { DigipostClient } from '../integrations/digipost/client';
import { digipostEvent } from '../workflows/letter-messages';
import { letterWorkflowId } from '../domain/workflow-ids';

export interface EventActivityDeps {
  db: Db;
  digipost: DigipostClient;
  temporal: Client;
  /** How far each window reaches back before the cursor (default 10 minutes). */
  overlapMs?: number;
  /** Where a first poll starts (default one day back; Digipost keeps events 30 days). */
  firstLookbackMs?: number;
  maxResults?: number;
}

export function createDigipostEventActivities({
  db,
  digipost,
  temporal,
  overlapMs = 10 * 60_000,
  firstLookbackMs = 86_400_000,
  maxResults = 100,
}: EventActivityDeps) {
  return {
    /** Reads one window of events and hands the new ones to their letters. Returns how many were new. */
    async pollDigipostEvents(brokerId: string): Promise<{ fetched: number; forwarded: number }> {
      const to = new Date();
      const [saved] = await db
        .select()
        .from(digipostEventCursors)
        .where(eq(digipostEventCursors.brokerId, brokerId));
      const from = new Date((saved?.cursor.getTime() ?? to.getTime() - firstLookbackMs) - overlapMs);
      let fetched = 0;
      const ctx = Context.current();
      for (let offset = 0; ; offset += maxResults) {
        ctx.heartbeat();
        const { events } = await digipost.documentEvents({ from, to, offset, maxResults });
        fetched += events.length;
        if (events.length > 0)
          await db
            .insert(digipostEvents)
            .values(
              events.map((e) => ({
                id: randomUUID(),
                brokerId,
                documentUuid: e.uuid,
                type: e.type,
                created: e.created,
                metadata: e.metadata ?? null,
              })),
            )
            .onConflictDoNothing();
        if (events.length < maxResults) break;
      }
      await db
        .insert(digipostEventCursors)
        .values({ brokerId, cursor: to })
        .onConflictDoUpdate({
          target: digipostEventCursors.brokerId,
          set: { cursor: to, updatedAt: new Date() },
        });

      const pending = await db
        .select({
          event: digipostEvents,
          letterId: letterDocuments.letterId,
          version: letterDocuments.version,
        })
        .from(digipostEvents)
        .leftJoin(letterDocuments, eq(letterDocuments.documentUuid, digipostEvents.documentUuid))
        .where(and(eq(digipostEvents.brokerId, brokerId), isNull(digipostEvents.forwardedAt)));
      let forwarded = 0;
      for (const { event, letterId, version } of pending) {
        ctx.heartbeat();
        if (letterId && version) {
          const detail = event.metadata?.['error-code'];
          try {
            await temporal.workflow
              .getHandle(letterWorkflowId(letterId))
              .signal(digipostEvent, { type: event.type, version, ...(detail ? { detail } : {}) });
            forwarded++;
          } catch (e) {
            // the letter's life is over (its event window passed): the event is kept, nobody to tell
            if (!(e instanceof WorkflowNotFoundError)) throw e;
          }
        }
        await db
          .update(digipostEvents)
          .set({ forwardedAt: new Date() })
          .where(eq(digipostEvents.id, event.id));
      }
      return { fetched, forwarded };
    },
  };
}

export type DigipostEventActivities = ReturnType<typeof createDigipostEventActivities>;
