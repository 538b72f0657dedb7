// The multipart body of a send (§4.1, §15.9): the message XML first, then one part per document, named by its
// uuid, in the XML's order.
import { randomUUID } from 'node:crypto';
import { V8 } from './xml';

/** The body and its Content-Type (with the boundary). */
export function multipartMessage(
  xml: string,
  documents: { uuid: string; pdf: Uint8Array }[],
): { body: Buffer; contentType: string } {
  const boundary = randomUUID();
  const body = Buffer.concat([
    Buffer.from(
      `--${boundary}\r\nContent-Disposition: attachment; filename="message"\r\n` +
        `Content-Type: ${V8}; charset=UTF-8\r\n\r\n${xml}`,
    ),
    ...documents.flatMap((d) => [
      Buffer.from(
        `\r\n--${boundary}\r\nContent-Disposition: attachment; filename="${d.uuid}"\r\n` +
          `Content-Type: application/pdf\r\n\r\n`,
      ),
      Buffer.from(d.pdf),
    ]),
    Buffer.from(`\r\n--${boundary}--\r\n`),
  ]);
  return { body, contentType: `multipart/vnd.digipost-v8+xml; boundary=${boundary}` };
}
