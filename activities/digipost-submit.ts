// Submits one letter's current document version to Digipost: alone, or into a run's batch. The message id is
// the version's document uuid, so a retry after a crash or timeout cannot deliver twice (DUPLICATE_MESSAGE
// means an earlier attempt was accepted; document status then says the channel).
import { Context } from '@temporalio/activity';
import { and, eq, sql } from 'drizzle-orm';
import { ApplicationFailure } from '@temporalio/common';
import type { Db } from '../db/connection';
import { letterDocuments, letters, tenants } from '../db/schema';
import { DigipostError, type Channel, type DigipostClient } from '../integrations/digipost/client';
import { getTemplate } from '../documents';
import { failureReason } from '../domain/letter-status';
import { FAILURE } from '../domain/failure-types';
import type { RecordTransition } from '../temporal/letter-transitions';
import { isCompleteAddress, missingAddressParts, type StoredRecipient } from '../domain/postal-address';

/** A person (national id) or an organisation (organisation number): exactly one of the two is set. */
export type { StoredRecipient };

/** The task queue of the running activity: where the workflows it wakes run too. */
export const currentTaskQueue = () => Context.current().info.taskQueue;

export type SubmitOutcome =
  | { kind: 'ACCEPTED'; channel?: Channel; delivered: boolean }
  | { kind: 'REFUSED'; code: string; reason: string };

/** Codes that mean "this letter can never go out as it is"; anything retryable is thrown instead. */
const RECIPIENT_CODES = new Set(['UNKNOWN_RECIPIENT', 'UNKNOWN_USER', 'MISSING_RECIPIENT']);

export async function submitLetter(
  db: Db,
  broker: DigipostClient,
  letterId: string,
  batchUuid?: string,
): Promise<SubmitOutcome> {
  // one read: the letter, its current version's document and attachments (in order), its tenant. (The outer
  // columns are written out: drizzle would write them unqualified, and the subquery would read its own.)
  const [row] = await db
    .select({
      letter: letters,
      doc: letterDocuments,
      tenant: tenants,
      attachments: sql<{ documentUuid: string; title: string; pdf: string }[]>`coalesce((
        select json_agg(json_build_object('documentUuid', a.document_uuid, 'title', a.title, 'pdf', a.pdf_base64)
                        order by a.position)
        from letter_attachments a
        where a.letter_id = letters.id and a.version = letters.version
      ), '[]'::json)`,
    })
    .from(letters)
    .innerJoin(
      letterDocuments,
      and(eq(letterDocuments.letterId, letters.id), eq(letterDocuments.version, letters.version)),
    )
    .innerJoin(tenants, eq(tenants.id, letters.tenantId))
    .where(eq(letters.id, letterId));
  if (!row)
    throw ApplicationFailure.nonRetryable(
      `letter ${letterId} has no stored document`,
      FAILURE.LETTER_NOT_FOUND,
    );
  const r = row.letter.recipient as StoredRecipient;
  const { attachments } = row;
  const digipost = broker.forSender(row.tenant.digipostSenderId);
  const printable = isCompleteAddress(r.address);
  try {
    const result = await digipost.send({
      messageId: row.doc.documentUuid,
      documentUuid: row.doc.documentUuid,
      subject: getTemplate(row.letter.templateCode)?.name ?? row.letter.templateCode,
      pdf: Buffer.from(row.doc.pdf, 'base64'),
      ...(r.orgNumber !== undefined ? { orgNumber: r.orgNumber } : { nationalId: r.nationalId }),
      attachments: attachments.map((a) => ({
        documentUuid: a.documentUuid,
        subject: a.title,
        pdf: Buffer.from(a.pdf, 'base64'),
      })),
      ...(batchUuid ? { batchUuid } : {}),
      ...(isCompleteAddress(r.address)
        ? {
            print: {
              recipient: {
                name: r.name,
                lines: r.address.lines,
                postalCode: r.address.postalCode,
                city: r.address.city,
              },
              returnAddress: row.tenant.returnAddress,
            },
          }
        : {}),
    });
    if (result.alreadyAccepted) {
      const status = await digipost.documentStatus(row.doc.documentUuid);
      return { kind: 'ACCEPTED', channel: status.channel, delivered: status.status === 'DELIVERED' };
    }
    const delivered = result.status === 'DELIVERED' || result.status === 'DELIVERED_TO_PRINT';
    return { kind: 'ACCEPTED', channel: result.channel, delivered };
  } catch (e) {
    if (!(e instanceof DigipostError) || e.retryable) throw e;
    if (RECIPIENT_CODES.has(e.code) && !printable) {
      const missing = missingAddressParts(r.address);
      return {
        kind: 'REFUSED',
        code: 'INCOMPLETE_ADDRESS',
        reason: failureReason('INCOMPLETE_ADDRESS', `mangler ${missing.join(', ')}`),
      };
    }
    return { kind: 'REFUSED', code: e.code, reason: failureReason(e.code) };
  }
}

/** The status a delivered letter gets from its channel. */
export function sentStatus(channel: Channel | undefined): 'SENT_DIGITAL' | 'SENT_PRINT' | undefined {
  if (channel === 'PRINT') return 'SENT_PRINT';
  if (channel === 'DIGIPOST' || channel === 'EPOST' || channel === 'PEPPOL') return 'SENT_DIGITAL';
  return undefined;
}

/**
 * Asks Digipost whether the letter's current version is delivered; records SENT_* when it is. `tell`: the
 * letter's workflow learns it by signal (a run asked), not from this call's result.
 */
export async function confirmDelivery(
  db: Db,
  broker: DigipostClient,
  recordTransition: RecordTransition,
  letterId: string,
  opts: { tell?: boolean; known?: { documentUuid: string; senderId: string | null } } = {},
): Promise<'SENT_DIGITAL' | 'SENT_PRINT' | undefined> {
  // `known`: the caller read the current version's document uuid and the sender with the letter (a run's page)
  const [row] = opts.known
    ? [opts.known]
    : await db
        .select({ documentUuid: letterDocuments.documentUuid, senderId: tenants.digipostSenderId })
        .from(letters)
        .innerJoin(tenants, eq(tenants.id, letters.tenantId))
        .innerJoin(
          letterDocuments,
          and(eq(letterDocuments.letterId, letters.id), eq(letterDocuments.version, letters.version)),
        )
        .where(eq(letters.id, letterId));
  if (!row)
    throw ApplicationFailure.nonRetryable(
      `letter ${letterId} has no stored document`,
      FAILURE.LETTER_NOT_FOUND,
    );
  const status = await broker.forSender(row.senderId).documentStatus(row.documentUuid);
  const sent = status.status === 'DELIVERED' ? sentStatus(status.channel) : undefined;
  if (!sent) return undefined;
  await recordTransition({
    letterId,
    from: ['WAITING'],
    to: sent,
    channel: status.channel ?? null,
    cause: `Levert av Digipost (${status.channel})${status.delivered ? ` ${status.delivered}` : ''}`,
    ...(opts.tell ? { tell: 'outcome' as const } : {}),
  });
  return sent;
}
