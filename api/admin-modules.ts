// The browser modules the admin panel imports that are built from domain/ when asked for (api/admin.ts serves
// them), so the panel (plain browser JavaScript) never keeps its own copy of a word or a text.
import {
  API_ERROR_TEXT,
  GENERIC_ERROR_TEXT,
  INBOUND_REASON_TEXT,
  LETTER_REASON_TEXT,
} from '../domain/reason-texts';
import { LETTER_STATUS } from '../domain/letter-status';
import { RUN_STATUS } from '../domain/run-status';
import { INBOUND_STATUS } from '../domain/inbound-status';

/** An ES module with one `export const NAME = <JSON>;` line per entry. */
const moduleOf = (exports: Record<string, unknown>): string =>
  Object.entries(exports)
    .map(([name, value]) => `export const ${name} = ${JSON.stringify(value)};\n`)
    .join('');

/** GET /admin/js/texts.js: the operators' words for codes, from the one table (domain/reason-texts.ts). */
export const TEXTS_MODULE = moduleOf({
  API_ERROR_TEXT,
  LETTER_REASON_TEXT,
  INBOUND_REASON_TEXT,
  GENERIC_ERROR_TEXT,
});

/** What GET /admin/js/vocabulary.js exports: each status code's words (domain/*-status.ts). */
export const PANEL_VOCABULARY = { LETTER_STATUS, RUN_STATUS, INBOUND_STATUS };

/** GET /admin/js/vocabulary.js. */
export const VOCABULARY_MODULE = moduleOf(PANEL_VOCABULARY);
