// A strict RFC 2046 multipart parser for Digipost's `multipart/vnd.digipost-v8+xml` (parts carry
// `Content-Disposition: attachment; filename="…"`, which form-data parsers such as busboy skip).
export interface Part {
  headers: Record<string, string>;
  filename?: string;
  body: Buffer;
}

export function boundaryOf(contentType: string): string | undefined {
  const m = /;\s*boundary=(?:"([^"]+)"|([^;\s]+))/i.exec(contentType);
  return m ? (m[1] ?? m[2]) : undefined;
}

export function parseMultipart(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`--${boundary}`);
  const parts: Part[] = [];
  let pos = body.indexOf(delimiter);
  if (pos < 0) throw new Error('no opening boundary');
  for (;;) {
    pos += delimiter.length;
    if (body.subarray(pos, pos + 2).toString() === '--') return parts; // close delimiter
    if (body.subarray(pos, pos + 2).toString() !== '\r\n') throw new Error('boundary not followed by CRLF');
    pos += 2;
    const headerEnd = body.indexOf('\r\n\r\n', pos);
    if (headerEnd < 0) throw new Error('part without header end');
    const headers: Record<string, string> = {};
    for (const line of body.subarray(pos, headerEnd).toString('utf8').split('\r\n')) {
      const i = line.indexOf(':');
      if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
    }
    const next = body.indexOf(Buffer.from(`\r\n--${boundary}`), headerEnd + 4);
    if (next < 0) throw new Error('part without closing boundary');
    const disposition = headers['content-disposition'] ?? '';
    const fm = /filename="([^"]*)"|filename=([^;\s]+)/i.exec(disposition);
    parts.push({
      headers,
      filename: fm ? (fm[1] ?? fm[2]) : undefined,
      body: body.subarray(headerEnd + 4, next),
    });
    pos = next + 2;
  }
}
