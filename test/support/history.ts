// Looks for personal data in a Temporal history: in every byte string as text, and in the base64 forms the
// server's JSON APIs would show (at each of the three byte alignments).
import type { temporal as proto } from '@temporalio/proto';

function bytesOf(value: unknown, out: Buffer[] = []): Buffer[] {
  if (value instanceof Uint8Array) out.push(Buffer.from(value));
  else if (value && typeof value === 'object') for (const v of Object.values(value)) bytesOf(v, out);
  return out;
}

const base64Forms = (s: string) =>
  [0, 1, 2].map((shift) => {
    const encoded = Buffer.from('x'.repeat(shift) + s).toString('base64');
    return encoded.slice([0, 2, 3][shift], -4);
  });

/** Every byte string of the history as text (latin1 and base64), for searching. */
export function historyTexts(history: proto.api.history.v1.IHistory): string {
  const bytes = bytesOf(history);
  return [...bytes.map((b) => b.toString('latin1')), ...bytes.map((b) => b.toString('base64'))].join('\n');
}

/** True when `secret` is in the text, plainly or in base64. */
export function reveals(text: string, secret: string): boolean {
  return text.includes(secret) || base64Forms(secret).some((f) => text.includes(f));
}
