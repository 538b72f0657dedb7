// Sending one letter (digipost-api.md §4): the `<message>` XML (print fallback, direct print, print-if-unread,
// attachments, batch membership) and the multipart request. Channels and statuses are open values.
import type { DigipostTransport } from './transport';
import { DigipostError } from './errors';
import { multipartMessage } from './multipart';
import { errorFrom, parser, str, xmlDocument, type Xml } from './xml';

export interface PrintAddress {
  name: string;
  lines: string[];
  postalCode: string;
  city: string;
}

export interface SendRequest {
  /** Idempotency key: reuse it when retrying the same letter (§5.2). */
  messageId: string;
  documentUuid: string;
  subject: string;
  pdf: Uint8Array;
  /** The recipient: a person by national id, or an organisation by organisation number (exactly one). */
  nationalId?: string;
  orgNumber?: string;
  /** Further PDFs in the same message, in this order, after the primary document (§4.2, §4.4). */
  attachments?: { documentUuid: string; subject: string; pdf: Uint8Array }[];
  /** Print fallback: the recipient's postal address and the sender's return address. */
  print?: {
    recipient: PrintAddress;
    returnAddress: PrintAddress;
    nondeliverableHandling?: 'RETURN_TO_SENDER' | 'SHRED';
  };
  /** Adds the message to a batch created with createBatch (§9). */
  batchUuid?: string;
  /** Deliver digitally; print (with `print`'s addresses) if still unread after this many days. */
  printIfUnread?: { afterDays: number };
  /** Straight to print with `print`'s addresses, the national id is not sent (§4.3). */
  directPrint?: boolean;
}

/** An open value: Digipost may add channels. */
export type Channel = 'DIGIPOST' | 'PRINT' | 'PEPPOL' | 'EPOST' | 'PENDING' | (string & {});

export interface SendResult {
  channel?: Channel;
  /** NOT_COMPLETE | COMPLETE | DELIVERED | DELIVERED_TO_PRINT, open. */
  status?: string;
  deliveryTime?: string;
  /** True when Digipost answered DUPLICATE_MESSAGE: the message was accepted by an earlier attempt. */
  alreadyAccepted: boolean;
}

/** The `<message>` XML of a send, elements in the XSD's order (§4.2). */
export function messageXml(req: SendRequest, senderId?: string, now = new Date()): string {
  if ((req.directPrint || req.printIfUnread) && !req.print)
    throw new DigipostError(
      'CLIENT_ERROR',
      'direct print and print-if-unread need print addresses',
      0,
      false,
    );
  if (!req.directPrint && (req.nationalId === undefined) === (req.orgNumber === undefined))
    throw new DigipostError(
      'CLIENT_ERROR',
      'a message needs exactly one recipient identifier: a national id or an organisation number',
      0,
      false,
    );
  const address = (a: PrintAddress) => ({
    name: a.name,
    'norwegian-address': {
      ...Object.fromEntries(a.lines.slice(0, 3).map((l, i) => [`addressline${i + 1}`, l])),
      'zip-code': a.postalCode,
      city: a.city,
    },
  });
  const printDetails = req.print && {
    recipient: address(req.print.recipient),
    'return-address': address(req.print.returnAddress),
    ...(req.print.nondeliverableHandling
      ? { 'nondeliverable-handling': req.print.nondeliverableHandling }
      : {}),
  };
  return xmlDocument('message', {
    'message-id': req.messageId,
    ...(senderId ? { 'sender-id': senderId } : {}),
    recipient: {
      ...(req.directPrint
        ? {}
        : req.orgNumber !== undefined
          ? { 'organisation-number': req.orgNumber }
          : { 'personal-identification-number': req.nationalId }),
      ...(printDetails ? { 'print-details': printDetails } : {}),
    },
    'primary-document': { uuid: req.documentUuid, subject: req.subject, 'file-type': 'pdf' },
    ...(req.attachments?.length
      ? {
          attachment: req.attachments.map((a) => ({
            uuid: a.documentUuid,
            subject: a.subject,
            'file-type': 'pdf',
          })),
        }
      : {}),
    ...(req.printIfUnread && !req.directPrint
      ? {
          'print-if-unread': {
            'print-if-unread-after': new Date(
              now.getTime() + req.printIfUnread.afterDays * 86_400_000,
            ).toISOString(),
            'print-details': printDetails,
          },
        }
      : {}),
    ...(req.batchUuid ? { batch: { uuid: req.batchUuid } } : {}),
  });
}

/**
 * Sends one letter (multipart, §4.1). Idempotent through `messageId`: DUPLICATE_MESSAGE means an earlier
 * attempt was accepted, reported as `alreadyAccepted` (confirm the channel with documentStatus). `senderId`:
 * written into the message when the broker sends on behalf of another sender.
 */
export async function send(
  t: DigipostTransport,
  req: SendRequest,
  senderId: string | undefined,
  now: Date,
): Promise<SendResult> {
  const xml = messageXml(req, senderId, now);
  // one part per document: the primary first, then the attachments in the XML's order (§4.1, §15.9)
  const { body, contentType } = multipartMessage(xml, [
    { uuid: req.documentUuid, pdf: req.pdf },
    ...(req.attachments ?? []).map((a) => ({ uuid: a.documentUuid, pdf: a.pdf })),
  ]);
  const res = await t.request('POST', await t.link('create_message'), body, contentType);
  if (res.status >= 200 && res.status < 300) {
    const d = (parser.parse(res.body.toString('utf8'))['message-delivery'] ?? {}) as Xml;
    return {
      channel: str(d['delivery-method']),
      status: str(d.status),
      ...(d['delivery-time'] !== undefined ? { deliveryTime: str(d['delivery-time']) } : {}),
      alreadyAccepted: false,
    };
  }
  const err = errorFrom(res.status, res.body);
  if (err.code === 'DUPLICATE_MESSAGE') return { alreadyAccepted: true };
  throw err;
}
