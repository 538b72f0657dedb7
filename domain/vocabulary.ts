// What every vocabulary (letter, run and inbound item statuses) has in common: one `as const` object from code to
// the operators' Norwegian words. The zod enums, the OpenAPI document, the drizzle column types and the admin
// panel's words (GET /admin/js/vocabulary.js) are all derived from those objects; nothing spells a code twice.

export type Vocabulary = Readonly<Record<string, string>>;

/** A vocabulary's codes in declaration order, as the non-empty tuple `z.enum` wants. */
export function codesOf<V extends Vocabulary>(vocabulary: V): [keyof V & string, ...(keyof V & string)[]] {
  const codes = Object.keys(vocabulary) as (keyof V & string)[];
  if (codes.length === 0) throw new Error('a vocabulary needs at least one code');
  return codes as [keyof V & string, ...(keyof V & string)[]];
}

/** A code's words; a code outside the vocabulary (an old row) is shown as it is. */
export const wordsFor = <V extends Vocabulary>(vocabulary: V, code: string): string =>
  Object.hasOwn(vocabulary, code) ? vocabulary[code]! : code;
