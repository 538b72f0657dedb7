// Keyset pagination for the lists: an opaque cursor names the last row of a page by its (created_at, id), so a
// page starts exactly after it whatever was added or removed meanwhile (no row twice, none skipped). The cursor
// is base64url of {"t": created_at to the microsecond as PostgreSQL stores it, "i": id}; clients pass
// `nextCursor` back unchanged and never build one.
import { sql, type AnyColumn, type SQL } from 'drizzle-orm';
import { z } from 'zod';
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';

extendZodWithOpenApi(z);

export interface Cursor {
  /** created_at in UTC with microseconds, e.g. `2026-11-23T10:15:00.123456Z`. */
  at: string;
  id: string;
}

const AT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const MAX_CURSOR = 200;
const MALFORMED = 'malformed cursor: pass `nextCursor` from the previous page unchanged';

export function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ t: c.at, i: c.id })).toString('base64url');
}

export function decodeCursor(s: string): Cursor | undefined {
  if (!/^[A-Za-z0-9_-]+$/.test(s) || s.length > MAX_CURSOR) return undefined;
  let value: unknown;
  try {
    value = JSON.parse(Buffer.from(s, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  if (!value || typeof value !== 'object') return undefined;
  const { t, i } = value as Record<string, unknown>;
  if (typeof t !== 'string' || typeof i !== 'string' || !AT.test(t) || !UUID.test(i)) return undefined;
  const ms = Date.parse(t);
  if (Number.isNaN(ms) || new Date(ms).toISOString().slice(0, 19) !== t.slice(0, 19) || t.startsWith('0000'))
    return undefined;
  return { at: t, id: i.toLowerCase() };
}

/** The `cursor` query parameter: decoded, or a 400 naming `cursor`. */
export const cursorParamSchema = z
  .string()
  .transform((s, ctx) => {
    const c = decodeCursor(s);
    if (!c) {
      ctx.addIssue({ code: 'custom', message: MALFORMED });
      return z.NEVER;
    }
    return c;
  })
  .openapi({
    type: 'string',
    pattern: '^[A-Za-z0-9_-]+$',
    minLength: 1,
    maxLength: MAX_CURSOR,
    description: 'Opaque: the `nextCursor` of the previous page, unchanged',
  });

export const nextCursorSchema = z
  .string()
  .nullable()
  .openapi({ description: 'Pass as `cursor` for the next page; null on the last page' });

/** A column's timestamp as the cursor holds it (UTC, microseconds), to select beside the row. */
export function cursorKey(createdAt: AnyColumn): SQL<string> {
  return sql<string>`to_char(${createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}

/** Rows strictly after the cursor in the list's order (`desc`: newest first). */
export function afterCursor(createdAt: AnyColumn, id: AnyColumn, c: Cursor, order: 'asc' | 'desc'): SQL {
  return order === 'desc'
    ? sql`(${createdAt}, ${id}) < (${c.at}::timestamptz, ${c.id}::uuid)`
    : sql`(${createdAt}, ${id}) > (${c.at}::timestamptz, ${c.id}::uuid)`;
}

/**
 * Given `limit + 1` rows fetched in order, the page (at most `limit`) and the cursor after its last row, or
 * null when nothing follows.
 */
export function pageOf<T extends { cursorKey: string; id: string }>(
  rows: T[],
  limit: number,
): { page: T[]; nextCursor: string | null } {
  const page = rows.slice(0, limit);
  const last = page[page.length - 1];
  return {
    page,
    nextCursor: rows.length > limit && last ? encodeCursor({ at: last.cursorKey, id: last.id }) : null,
  };
}
