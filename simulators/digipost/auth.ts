// Request authentication and response signing for the simulator (digipost-api.md §1.2–§1.4, §13.2–§13.3),
// written from the spec on its own: it shares no code with our client, so a contract test between them can
// catch a mistake on either side.
import { createHash, createSign, createVerify, type KeyObject } from 'node:crypto';

export const MAX_SKEW_MS = 5 * 60_000;

export interface AuthFailure {
  status: number;
  code: string;
  message: string;
}

export interface IncomingRequest {
  method: string;
  /** The request target as received: path and query, still URL-encoded. */
  target: string;
  header(name: string): string | undefined;
  body: Buffer;
}

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('base64');

/** The canonical request string of §1.3 for `path` (already decoded or not) and the raw query. */
function canonicalRequest(req: IncomingRequest, path: string, query: string): string {
  let s = `${req.method.toUpperCase()}\n${path.toLowerCase()}\n`;
  const md5 = req.header('content-md5');
  if (md5 !== undefined) s += `content-md5: ${md5}\n`;
  s += `date: ${req.header('date')}\n`;
  const hash = req.header('x-content-sha256');
  if (hash !== undefined) s += `x-content-sha256: ${hash}\n`;
  return s + `x-digipost-userid: ${req.header('x-digipost-userid')}\n${query.toLowerCase()}\n`;
}

/**
 * Checks headers, body hash, clock skew and signature. `keyOf` gives the broker's key: undefined for an unknown
 * user id, null when the broker has no certificate. `now` is wall-clock time.
 */
export function authenticate(
  req: IncomingRequest,
  keyOf: (userId: string) => KeyObject | null | undefined,
  now = Date.now(),
): { userId: string } | AuthFailure {
  const userId = req.header('x-digipost-userid');
  if (!userId || !/^\d+$/.test(userId))
    return {
      status: 400,
      code: 'INVALID_USER_ID_HEADER',
      message: 'Missing or non-numeric X-Digipost-UserId',
    };
  const date = req.header('date');
  if (!date) return { status: 400, code: 'MISSING_DATE_HEADER', message: 'Missing Date header' };
  const t = Date.parse(date);
  if (!/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/.test(date) || Number.isNaN(t))
    return { status: 400, code: 'INVALID_DATE_HEADER', message: `Date is not RFC 1123: ${date}` };
  if (Math.abs(now - t) > MAX_SKEW_MS)
    return {
      status: 400,
      code: 'DATE_HEADER_OUTSIDE_ACCEPTED_INTERVAL',
      message: 'Date differs from server time by more than 5 minutes',
    };
  const hash = req.header('x-content-sha256');
  if (req.body.length > 0) {
    if (!hash) return { status: 400, code: 'MISSING_SHA256', message: 'Missing X-Content-SHA256 header' };
    if (sha256(req.body) !== hash)
      return { status: 400, code: 'INVALID_SHA256', message: 'X-Content-SHA256 does not match the body' };
  }
  const key = keyOf(userId);
  if (key === undefined)
    return { status: 403, code: 'UNKNOWN_USER_ID', message: `Unknown user id ${userId}` };
  if (key === null)
    return {
      status: 403,
      code: 'MISSING_CERTIFICATE',
      message: 'No certificate found. Please upload a certificate in virksomhetsadmin at digipost.no.',
    };
  const signature = req.header('x-digipost-signature');
  if (!signature) return { status: 403, code: 'MISSING_SIGNATURE', message: 'Missing X-Digipost-Signature' };
  const q = req.target.indexOf('?');
  const rawPath = q < 0 ? req.target : req.target.slice(0, q);
  const query = q < 0 ? '' : req.target.slice(q + 1);
  let decoded = rawPath;
  try {
    decoded = decodeURIComponent(rawPath);
  } catch {
    // a path that does not decode is signed as sent
  }
  // The Java client signs the decoded path, the .NET client the encoded one (§1.3); both are accepted.
  const candidates = [...new Set([decoded, rawPath])].map((p) => canonicalRequest(req, p, query));
  const ok = candidates.some((c) =>
    createVerify('RSA-SHA256').update(c, 'utf8').verify(key, signature, 'base64'),
  );
  if (!ok)
    return {
      status: 403,
      code: 'INVALID_SIGNATURE',
      message: `Ugyldig signatur. Forventet signert streng: ===START===${candidates[0]}===SLUTT===`,
    };
  return { userId };
}

/**
 * The signed response headers (§1.4, §15.2–3): canonical casing throughout, `X-Content-SHA256` over the
 * exact bytes when there is a body, the signature over `status`, the lower-cased request path and the headers.
 */
export function responseHeaders(opts: {
  status: number;
  path: string;
  body: Buffer;
  /** A parsed key: parsing a PEM for every response cost more than the signature itself. */
  privateKey: KeyObject;
  date: Date;
}): Record<string, string> {
  const date = opts.date.toUTCString();
  const headers: Record<string, string> = { Date: date };
  let canonical = `${opts.status}\n${opts.path.toLowerCase()}\ndate: ${date}\n`;
  if (opts.body.length > 0) {
    headers['X-Content-SHA256'] = sha256(opts.body);
    canonical += `x-content-sha256: ${headers['X-Content-SHA256']}\n`;
  }
  headers['X-Digipost-Signature'] = createSign('RSA-SHA256')
    .update(canonical, 'utf8')
    .sign(opts.privateKey, 'base64');
  return headers;
}
