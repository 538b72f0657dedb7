// Each vocabulary is declared once in domain/; the zod enums, the OpenAPI document and the admin panel's words
// are derived from it. These tests fail as soon as one of them keeps its own list.
import { describe, expect, it } from 'vitest';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { LETTER_STATUS } from './letter-status';
import { RUN_STATUS } from './run-status';
import { INBOUND_STATUS } from './inbound-status';
import { codesOf, wordsFor } from './vocabulary';
import { digipostCodeOf, digipostFailureType, FAILURE, templateFailureType } from './failure-types';
import { letterStatusSchema, runSchema } from '../api/letters-schemas';
import { inboundSummarySchema, listInboundQuerySchema } from '../api/inbound-schemas';
import { openApiDocument } from '../api/openapi';
import { PANEL_VOCABULARY, VOCABULARY_MODULE } from '../api/admin-modules';

const letterCodes = Object.keys(LETTER_STATUS);
const runCodes = Object.keys(RUN_STATUS);
const inboundCodes = Object.keys(INBOUND_STATUS);

type Node = Record<string, unknown>;
/** Every `enum` in the document under a property or parameter whose name ends in "status" (any case). */
function statusEnums(node: unknown, name = '', found: { where: string; values: unknown[] }[] = []) {
  if (!node || typeof node !== 'object') return found;
  const n = node as Node;
  if (Array.isArray(n.enum) && /status$/i.test(name)) found.push({ where: name, values: n.enum });
  for (const [key, child] of Object.entries(n)) {
    const childName =
      key === 'schema' && typeof n.name === 'string'
        ? n.name
        : ['items', 'schema'].includes(key)
          ? name
          : key;
    statusEnums(child, childName, found);
  }
  return found;
}

describe('status vocabularies', () => {
  it('letter statuses include RECEIVED (what the API answers while version 1 is produced), and nothing else is added', () => {
    expect(letterCodes).toEqual([
      'RECEIVED',
      'QUEUED',
      'WAITING',
      'SENT_DIGITAL',
      'SENT_PRINT',
      'NOT_SENT',
      'DELETED',
      'SELF_SEND',
    ]);
    expect(runCodes).toEqual(['SENDING', 'COMMITTED', 'DONE', 'FAILED']);
  });

  it('the zod enums are the domain objects’ keys, in order', () => {
    expect(letterStatusSchema.options).toEqual(letterCodes);
    expect(runSchema.shape.status.options).toEqual(runCodes);
    expect(inboundSummarySchema.shape.status.options).toEqual(inboundCodes);
    expect(listInboundQuerySchema.shape.status.unwrap().options).toEqual(inboundCodes);
  });

  it('every status enum in the served OpenAPI document is one of the domain vocabularies', () => {
    const doc = openApiDocument() as unknown as { paths: Record<string, Record<string, Node>> };
    const enums = statusEnums(doc.paths);
    // single values are literals of one answer (`status: "DELETED"` after a delete, `"ok"`), not vocabularies
    const lists = enums.filter((e) => e.values.length > 1);
    for (const e of lists) expect([letterCodes, runCodes, inboundCodes], e.where).toContainEqual(e.values);
    const seen = (codes: string[]) => lists.filter((e) => JSON.stringify(e.values) === JSON.stringify(codes));
    expect(seen(letterCodes).length).toBeGreaterThan(0);
    expect(seen(runCodes).length).toBeGreaterThan(0);
    expect(seen(inboundCodes).length).toBeGreaterThan(0);

    // and where a case system reads them: an answer's status and the list filters
    const schemaOf = (path: string) =>
      (doc.paths[path]!.get!.responses as Record<string, Node>)['200']!.content as Record<string, Node>;
    const status = (path: string) =>
      ((schemaOf(path)['application/json']!.schema as Node).properties as Record<string, Node>).status!.enum;
    expect(status('/v1/letters/{id}')).toEqual(letterCodes);
    expect(status('/v1/runs/{id}')).toEqual(runCodes);
    expect(status('/v1/inbound/{id}')).toEqual(inboundCodes);
    const filter = (path: string) =>
      (doc.paths[path]!.get!.parameters as { name: string; schema: Node }[]).find((p) => p.name === 'status')!
        .schema;
    expect((filter('/v1/letters').items as Node).enum).toEqual(letterCodes);
    expect(filter('/v1/inbound').enum).toEqual(inboundCodes);
  });

  it('the panel’s words are the module built from domain/, and no panel file keeps its own', () => {
    expect(PANEL_VOCABULARY).toEqual({ LETTER_STATUS, RUN_STATUS, INBOUND_STATUS });
    const exported = Object.fromEntries(
      [...VOCABULARY_MODULE.matchAll(/^export const (\w+) = (.*);$/gm)].map((m) => [m[1], JSON.parse(m[2]!)]),
    );
    expect(exported).toEqual({ LETTER_STATUS, RUN_STATUS, INBOUND_STATUS });

    const dir = fileURLToPath(new URL('../admin/js/', import.meta.url));
    const words = [LETTER_STATUS, RUN_STATUS, INBOUND_STATUS].flatMap((v) => Object.values(v));
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.js'))) {
      const source = readFileSync(`${dir}${file}`, 'utf8');
      for (const word of words) expect(source, `${file} spells «${word}»`).not.toContain(`'${word}'`);
    }
    expect(readFileSync(`${dir}ui.js`, 'utf8')).toContain("from './vocabulary.js'");
  });

  it('a code outside a vocabulary keeps its code as its words; inherited names are not codes', () => {
    expect(wordsFor(LETTER_STATUS, 'SENT_PRINT')).toBe('Sendt print');
    expect(wordsFor(LETTER_STATUS, 'PRODUCED')).toBe('PRODUCED');
    expect(wordsFor(RUN_STATUS, 'toString')).toBe('toString');
    expect(() => codesOf({})).toThrow();
  });
});

describe('failure types', () => {
  it('each failure type is named once', () => {
    const values = Object.values(FAILURE);
    expect(new Set(values).size).toBe(values.length);
  });

  it('Digipost’s code goes into a failure type and comes back out; other types have no Digipost code', () => {
    expect(digipostFailureType('UNKNOWN_SENDER')).toBe('Digipost.UNKNOWN_SENDER');
    expect(digipostCodeOf(digipostFailureType('UNKNOWN_SENDER'))).toBe('UNKNOWN_SENDER');
    expect(digipostCodeOf(FAILURE.RUN_NOT_FOUND)).toBeUndefined();
    expect(digipostCodeOf(templateFailureType('INVALID_MERGE_DATA'))).toBeUndefined();
    expect(digipostCodeOf('Digipost.')).toBeUndefined();
    expect(digipostCodeOf(undefined)).toBeUndefined();
  });
});
