// The pages of each attachment of a letter version, in order: one SQL fragment for billing and the preview.
import { sql, type SQL } from 'drizzle-orm';

/**
 * `letterId` and `version` name the outer row's columns in full (e.g. `sql.raw('letters.id')`): drizzle writes a
 * column inside sql`` unqualified, which this subquery would take for its own (every letter's attachments).
 */
export const attachmentPagesOf = (letterId: SQL, version: SQL) =>
  sql<number[]>`coalesce((
    select array_agg(a.pages order by a.position) from letter_attachments a
    where a.letter_id = ${letterId} and a.version = ${version}
  ), '{}')`;
