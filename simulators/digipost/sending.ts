// Sending a message (digipost-api.md §4, §5): the multipart body, the XSD, the sender, the duplicate rules,
// permissions, the channel from the population register, the print checks, and what is stored.
import { createHash } from 'node:crypto';
import { nextPrintRun } from './clock';
import { boundaryOf, parseMultipart, type Part } from './multipart';
import { printabilityError } from './print-check';
import { lookUp, lookUpOrganisation, type Broker, type Organisation, type Person } from './register';
import { Reject, type ReceivedMessage, type SimBatch, type SimChannel, type SimState } from './state';
import { text, validXml, type Xml } from './xml';
import type { XsdValidator } from './xsd';

const IDENTIFIERS = [
  'personal-identification-number',
  'organisation-number',
  'digipost-address',
  'name-and-address',
  'email-details',
  'peppol-addresses',
  'bank-account-number',
];

const MAX_ATTACHMENTS = 99;

function documentsOf(message: Xml): Xml[] {
  return [message['primary-document'] as Xml, ...((message.attachment as Xml[] | undefined) ?? [])];
}

function recipientOf(
  people: Map<string, Person>,
  orgs: Map<string, Organisation>,
  recipient: Xml,
): { key: string; person: Person } | undefined {
  const pin = text(recipient['personal-identification-number']);
  if (pin !== undefined) return { key: pin, person: lookUp(people, pin) };
  const org = text(recipient['organisation-number']);
  if (org !== undefined) {
    const person = lookUpOrganisation(orgs, org);
    // the XSD checks the length; a number failing the mod-11 check is refused, not printed (inferred, README)
    if (person.kind === 'INVALID')
      throw new Reject(
        400,
        'VALIDATION_FAILED',
        'INVALID_ORGANISATION_NUMBER: the organisation number is invalid',
      );
    return { key: org, person };
  }
  const address = text(recipient['digipost-address']);
  if (address !== undefined) {
    const p = [...people.values()].find((x) => x.kind === 'DIGIPOST' && x.digipostAddress === address);
    return { key: address, person: p ?? { kind: 'UNIDENTIFIED' } };
  }
  const other = IDENTIFIERS.find((k) => recipient[k] !== undefined);
  return other ? { key: other, person: { kind: 'UNIDENTIFIED' } } : undefined;
}

export async function acceptMessage(
  st: SimState,
  xsd: XsdValidator,
  broker: Broker,
  contentType: string,
  body: Buffer,
): Promise<{ message: ReceivedMessage; status: string }> {
  if (
    !/^multipart\/(vnd\.digipost-v8\+xml|mixed|form-data)\s*;/i.test(contentType) ||
    !boundaryOf(contentType)
  )
    throw new Reject(
      400,
      'PROBLEM_WITH_REQUEST',
      'Expected multipart/vnd.digipost-v8+xml with a boundary',
      'CLIENT_TECHNICAL',
    );
  let parsed: Part[];
  try {
    parsed = parseMultipart(body, boundaryOf(contentType)!);
  } catch (e) {
    throw new Reject(
      400,
      'PROBLEM_WITH_REQUEST',
      `Malformed multipart body: ${(e as Error).message}`,
      'CLIENT_TECHNICAL',
    );
  }
  if (parsed.some((p) => !p.headers['content-disposition']))
    throw new Reject(
      400,
      'MISSING_BODYPART_CONTENT_DISPOSITION',
      'A body part has no Content-Disposition',
      'CLIENT_TECHNICAL',
    );
  if (parsed.some((p) => !p.filename))
    throw new Reject(400, 'MISSING_BODYPART_FILENAME', 'A body part has no filename', 'CLIENT_TECHNICAL');
  const parts = new Map(parsed.map((p) => [p.filename!, p.body]));
  const xml = parts.get('message');
  if (!xml)
    throw new Reject(400, 'MISSING_BODYPART_FILENAME', 'No part with filename "message"', 'CLIENT_TECHNICAL');
  const message = await validXml(xsd, xml.toString('utf8'), 'message');
  const docs = documentsOf(message);
  const uuids = docs.map((d) => text(d.uuid)!);
  if (
    new Set(uuids).size !== uuids.length ||
    parts.size - 1 !== docs.length ||
    uuids.some((u) => !parts.has(u))
  )
    throw new Reject(
      400,
      'DOCUMENTS_AND_FILES_MISMATCH',
      'Documents in the message and body parts do not match',
      'CLIENT_TECHNICAL',
    );
  if (uuids.some((u) => parts.get(u)!.length === 0))
    throw new Reject(400, 'MISSING_CONTENT', 'A document part is empty');
  // the FAQ's "up to 99 attachments", stricter than the XSD's 201 (digipost-api.md §4.2)
  if (docs.length - 1 > MAX_ATTACHMENTS)
    throw new Reject(400, 'VALIDATION_FAILED', `At most ${MAX_ATTACHMENTS} attachments`);
  // a document that states its content-hash must have that content (SHA-256, base64, as echoed in §5.1)
  for (const [i, d] of docs.entries()) {
    const stated = d['content-hash'] as Xml | string | undefined;
    if (stated === undefined) continue;
    const algorithm = typeof stated === 'object' ? text(stated['@hash-algorithm']) : undefined;
    const value = text(stated);
    if (algorithm !== undefined && algorithm.toUpperCase() !== 'SHA256')
      throw new Reject(400, 'VALIDATION_FAILED', `Unsupported hash-algorithm ${algorithm}`);
    const actual = createHash('sha256').update(parts.get(uuids[i]!)!).digest('base64');
    if (value?.trim() !== actual)
      throw new Reject(400, 'BAD_CONTENT', `content-hash of document ${uuids[i]} does not match its content`);
  }

  // Sender: the broker itself, or a sender that has authorised it (§1.1).
  const senderId = text(message['sender-id']);
  const senderOrg = text((message['sender-organization'] as Xml | undefined)?.['organization-id']);
  const onBehalfOf = senderId ?? senderOrg;
  if (onBehalfOf !== undefined && onBehalfOf !== broker.userId && !broker.senders.includes(onBehalfOf))
    throw new Reject(
      403,
      'BROKER_NOT_AUTHORIZED',
      `Broker may not send on behalf of ${onBehalfOf}`,
      'CONFIGURATION',
    );
  const sender = senderId ?? broker.userId;

  if (docs.some((d) => !text(d.subject)?.trim()))
    throw new Reject(400, 'MISSING_SUBJECT', 'A document has a blank subject');

  const messageId = text(message['message-id']);
  if (messageId !== undefined && st.usedMessageIds.has(`${broker.userId}/${messageId}`))
    throw new Reject(400, 'DUPLICATE_MESSAGE', 'The message-id has been previously used');

  const batchUuid = text((message.batch as Xml | undefined)?.uuid);
  let batch: SimBatch | undefined;
  if (batchUuid !== undefined) {
    batch = st.batches.get(batchUuid);
    if (!batch || batch.brokerId !== broker.userId)
      throw new Reject(400, 'UNKNOWN_BATCH', `Unknown batch ${batchUuid}`);
    if (batch.status !== 'CREATED' && batch.status !== 'NOT_COMMITTED')
      throw new Reject(
        400,
        'PROBLEM_WITH_REQUEST',
        `Batch ${batchUuid} is ${batch.status}`,
        'CLIENT_TECHNICAL',
      );
    if (uuids.some((u) => st.batchHasDocument(batchUuid, u)))
      throw new Reject(400, 'DUPLICATE_DOCUMENT_ID_FOR_BATCH', 'A document uuid is already in this batch');
  }
  if (uuids.some((u) => st.usedDocumentUuids.has(`${broker.userId}/${u}`)))
    throw new Reject(400, 'DUPLICATE_DOCUMENT_ID', 'A document uuid has been previously used');

  const now = st.clock.now();
  const deliveryTimeText = text(message['delivery-time']);
  const deliveryTime = deliveryTimeText ? new Date(deliveryTimeText) : undefined;
  if (deliveryTime && deliveryTime < now)
    throw new Reject(400, 'DELIVERY_DATE_HISTORICAL', 'delivery-time is in the past', 'CONFIGURATION');

  const p = broker.permissions;
  if (!p.idporten && docs.some((d) => /^IDPORTEN_/.test(text(d['authentication-level']) ?? '')))
    throw new Reject(
      403,
      'NOT_APPROVED_FOR_IDPORTEN',
      'Sender is not approved for ID-porten levels',
      'CONFIGURATION',
    );
  if (!p.preencrypt && docs.some((d) => d.encrypted !== undefined))
    throw new Reject(
      403,
      'NOT_APPROVED_FOR_PREENCRYPT',
      'Sender is not approved for pre-encryption',
      'CONFIGURATION',
    );
  if (!p.technicalAttachments && docs.some((d) => d['@technical-type'] !== undefined))
    throw new Reject(
      403,
      'NOT_APPROVED_FOR_TECHNICAL_ATTACHMENTS',
      'Sender is not approved for technical attachments',
      'CONFIGURATION',
    );
  if (
    !p.notificationAddresses &&
    docs.some(
      (d) =>
        (d['email-notification'] as Xml | undefined)?.['email-address'] !== undefined ||
        (d['sms-notification'] as Xml | undefined)?.overrides !== undefined,
    )
  )
    throw new Reject(
      403,
      'NOTIFICATION_ADDRESSES_NOT_ALLOWED',
      'Sender may not choose notification addresses',
      'CONFIGURATION',
    );

  // Channel (§4.3): Digipost user → digital; otherwise print-details → print; otherwise 404.
  const recipient = message.recipient as Xml;
  const printDetails = recipient['print-details'] as Xml | undefined;
  const who = recipientOf(st.people, st.organisations, recipient);
  const registration = message['request-for-registration'] as Xml | undefined;
  const phone = text(registration?.['phone-number'])?.replace(/\s/g, '');
  // +47 is assumed only for 8-digit numbers; other numbers need a country prefix (§4.4).
  if (phone !== undefined && !/^(\+|00|011)/.test(phone) && !/^\d{8}$/.test(phone))
    throw new Reject(400, 'INVALID_PHONE_NUMBER', 'Phone number needs a country prefix');
  let channel: SimChannel;
  if (!who) {
    if (!printDetails)
      throw new Reject(400, 'MISSING_RECIPIENT', 'No recipient identifier and no print-details');
    if (!p.directPrint)
      throw new Reject(
        403,
        'NOT_APPROVED_FOR_DIRECT_PRINT',
        'Sender is not approved for direct print',
        'CONFIGURATION',
      );
    channel = 'PRINT';
  } else if (who.person.kind === 'DIGIPOST') channel = 'DIGIPOST';
  else if (registration !== undefined && recipient['personal-identification-number'] !== undefined)
    channel = 'PENDING';
  else if (printDetails) {
    if (!p.print)
      throw new Reject(403, 'NOT_APPROVED_FOR_PRINT', 'Sender is not approved for print', 'CONFIGURATION');
    channel = 'PRINT';
  } else throw new Reject(404, 'UNKNOWN_RECIPIENT', 'The recipient does not have a Digipost account.');

  const printIfUnread = message['print-if-unread'] as Xml | undefined;
  if (printIfUnread && !p.print)
    throw new Reject(403, 'NOT_APPROVED_FOR_PRINT', 'Sender is not approved for print', 'CONFIGURATION');
  const registrationPrint = registration?.['print-details'] !== undefined;
  if (channel === 'PENDING' && registrationPrint && !p.print)
    throw new Reject(403, 'NOT_APPROVED_FOR_PRINT', 'Sender is not approved for print', 'CONFIGURATION');
  const mayPrint =
    channel === 'PRINT' ||
    (printIfUnread !== undefined && channel === 'DIGIPOST') ||
    (channel === 'PENDING' && registrationPrint);
  if (mayPrint) {
    if (docs.some((d) => text(d['file-type'])!.toLowerCase() !== 'pdf'))
      throw new Reject(400, 'CONTENT_OF_PRINT_MESSAGE_MUST_BE_PDF', 'Print requires PDF documents');
    for (const u of uuids) {
      const bad = await printabilityError(parts.get(u)!, p.maxPrintPages);
      if (bad) throw new Reject(400, 'INVALID_PDF_CONTENT', `${bad.error}: ${bad.detail}`);
    }
  } else if (docs.some((d) => !p.fileTypes.includes(text(d['file-type'])!.toLowerCase())))
    throw new Reject(400, 'ILLEGAL_CONTENT_TYPE', 'File type not allowed for this sender');

  const inBatch = batch !== undefined;
  const delivered = !inBatch && (channel === 'PRINT' || (channel === 'DIGIPOST' && !deliveryTime));
  const stored: ReceivedMessage = {
    ...(messageId !== undefined ? { messageId } : {}),
    brokerId: broker.userId,
    senderId: sender,
    channel,
    recipientKey: who?.key ?? 'direct-print',
    receivedAt: now,
    printed: false,
    ...(batchUuid ? { batchUuid } : {}),
    ...(deliveryTime ? { deliveryTime } : {}),
    ...(printIfUnread ? { printIfUnreadAfter: new Date(text(printIfUnread['print-if-unread-after'])!) } : {}),
    ...(channel === 'PRINT' && !inBatch ? { printAt: nextPrintRun(now) } : {}),
    ...(channel === 'PENDING'
      ? {
          registration: {
            deadline: new Date(text(registration!['registration-deadline'])!),
            print: registrationPrint,
          },
        }
      : {}),
    nondeliverableHandling: text(printDetails?.['nondeliverable-handling']) ?? 'RETURN_TO_SENDER',
    documents: docs.map((d, i) => {
      const content = parts.get(uuids[i]!)!;
      return {
        uuid: uuids[i]!,
        subject: text(d.subject)!,
        fileType: text(d['file-type'])!,
        content,
        size: content.length,
        contentHash: createHash('sha256').update(content).digest('base64'),
        isPrimary: i === 0,
        authenticationLevel: text(d['authentication-level']) ?? 'PASSWORD',
        sensitivityLevel: text(d['sensitivity-level']) ?? 'NORMAL',
        status: delivered ? 'DELIVERED' : 'NOT_DELIVERED',
        created: now,
        ...(delivered ? { delivered: now } : {}),
        ...(d['opening-receipt'] !== undefined ? { read: 'N' as const } : {}),
      };
    }),
  };
  if (messageId !== undefined) st.usedMessageIds.add(`${broker.userId}/${messageId}`);
  for (const u of uuids) st.usedDocumentUuids.add(`${broker.userId}/${u}`);
  st.addMessage(stored);
  if (batch) batch.status = 'NOT_COMMITTED';
  const status =
    inBatch || channel === 'PENDING' ? 'COMPLETE' : channel === 'PRINT' ? 'DELIVERED_TO_PRINT' : 'DELIVERED';
  return { message: stored, status };
}
