// Request signing for the Digipost API v8 (digipost-api.md §1.2–1.3).
import { createHash, createSign, type KeyObject } from 'node:crypto';

/** RFC 1123 date as Digipost expects it, e.g. `Wed, 29 Jun 2011 14:58:11 GMT`. */
export function digipostDate(d: Date): string {
  return d.toUTCString();
}

export function contentSha256(body: Uint8Array): string {
  return createHash('sha256').update(body).digest('base64');
}

export interface CanonicalRequest {
  method: string;
  /** Path only, as sent; no host. */
  path: string;
  /** Raw query string (still URL-encoded), without '?'; empty when there is none. */
  query: string;
  date: string;
  contentSha256?: string;
  userId: string;
}

/** The canonical request string: each line ends in LF, the query line is empty when there is no query. */
export function canonicalRequestString(r: CanonicalRequest): string {
  const lines = [r.method.toUpperCase(), r.path.toLowerCase(), `date: ${r.date}`];
  if (r.contentSha256 !== undefined) lines.push(`x-content-sha256: ${r.contentSha256}`);
  lines.push(`x-digipost-userid: ${r.userId}`, r.query.toLowerCase());
  return lines.map((l) => `${l}\n`).join('');
}

/** The key may be PEM text or a parsed KeyObject (parse once: parsing costs more than signing). */
export function signCanonical(canonical: string, privateKey: string | KeyObject): string {
  return createSign('RSA-SHA256').update(canonical, 'utf8').sign(privateKey, 'base64');
}

/** The headers for one signed request; the body must be the exact bytes that will be sent. */
export function signedHeaders(opts: {
  method: string;
  url: URL;
  body?: Uint8Array;
  userId: string;
  privateKeyPem: string | KeyObject;
  now?: Date;
}): Record<string, string> {
  const date = digipostDate(opts.now ?? new Date());
  const hash = opts.body && opts.body.length > 0 ? contentSha256(opts.body) : undefined;
  const canonical = canonicalRequestString({
    method: opts.method,
    path: opts.url.pathname,
    query: opts.url.search.replace(/^\?/, ''),
    date,
    contentSha256: hash,
    userId: opts.userId,
  });
  const headers: Record<string, string> = {
    Date: date,
    'X-Digipost-UserId': opts.userId,
    'X-Digipost-Signature': signCanonical(canonical, opts.privateKeyPem),
  };
  if (hash) headers['X-Content-SHA256'] = hash;
  return headers;
}
