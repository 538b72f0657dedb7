// Calls the same /v1 API the case systems use, with the operator's session cookie; mutating calls carry the
// header the server requires against cross-site requests.
import { API_ERROR_TEXT, GENERIC_ERROR_TEXT } from './texts.js';

/** What the panel says for an error code: Norwegian from the server's table, never the API's own message. */
export const errorText = (code) => API_ERROR_TEXT[code] ?? GENERIC_ERROR_TEXT;

/** Any error in Norwegian: an API error's text, else the generic one (a browser's own message is English). */
export const messageOf = (e) => (e instanceof ApiError ? e.message : GENERIC_ERROR_TEXT);

/** An API error: `message` is the Norwegian text of its code; `detail` keeps the API's words for the console. */
export class ApiError extends Error {
  constructor(status, code, detail) {
    super(errorText(code));
    this.status = status;
    this.code = code;
    this.detail = detail;
  }
}

export async function api(path, { method, body } = {}) {
  const m = method ?? (body === undefined ? 'GET' : 'POST');
  const headers = { accept: 'application/json' };
  if (m !== 'GET') headers['x-postgang-admin'] = '1';
  if (body !== undefined) headers['content-type'] = 'application/json';
  let res;
  try {
    res = await fetch(path, {
      method: m,
      headers,
      credentials: 'same-origin',
      body: body === undefined ? undefined : JSON.stringify(body),
    });
  } catch (e) {
    throw new ApiError(0, 'NETWORK', String(e));
  }
  if (res.status === 204) return null;
  const data = await res.json().catch(() => null);
  if (!res.ok) {
    const e = data?.error;
    if (res.status === 401 && path.startsWith('/v1/')) window.dispatchEvent(new Event('postgang:logged-out'));
    throw new ApiError(res.status, e?.code ?? 'HTTP_' + res.status, e?.message ?? res.statusText);
  }
  return data;
}

/** A file (PDF) as an object URL, so it previews inline whatever the server's content-disposition says. */
export async function fileUrl(path) {
  const res = await fetch(path, { credentials: 'same-origin' });
  if (!res.ok) throw new ApiError(res.status, 'FILE_UNAVAILABLE', `kunne ikke hente filen (${res.status})`);
  const blob = await res.blob();
  return URL.createObjectURL(blob.type ? blob : new Blob([blob], { type: 'application/pdf' }));
}

/**
 * A whole list, page after page: follows `nextCursor` (the lists' opaque cursor) until the last page and
 * answers the first page's body with every page's `key` items in it.
 */
export async function apiPages(path, key) {
  const first = await api(path);
  const all = [...first[key]];
  let cursor = first.nextCursor;
  const sep = path.includes('?') ? '&' : '?';
  while (cursor) {
    const next = await api(`${path}${sep}cursor=${encodeURIComponent(cursor)}`);
    all.push(...next[key]);
    cursor = next.nextCursor;
  }
  return { ...first, [key]: all, nextCursor: null };
}
