// The XML side of the Digipost client's transport: one parser and builder for every message, the helpers that
// read links and errors out of a response, and the API's namespace and media type.
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { DigipostError } from './errors';

const NS = 'http://api.digipost.no/schema/v8';
export const V8 = 'application/vnd.digipost-v8+xml';

export const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'link' || name === 'event',
});
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressBooleanAttributes: false,
});

// Parsed XML is untyped by nature; each field used is read as a string where it is used.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Xml = Record<string, any>;

/** A v8 document with `root` as its element, in the API's namespace. */
export const xmlDocument = (root: string, content: Xml) =>
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
  builder.build({ [root]: { '@xmlns': NS, ...content } });

export const str = (v: unknown): string | undefined =>
  v === undefined || v === null ? undefined : String(v);

/** `<link>` elements by relation: the last path segment of `rel`, upper-cased, as the Java client matches. */
export function linksOf(links: unknown): Map<string, string> {
  const map = new Map<string, string>();
  for (const l of (links as Xml[] | undefined) ?? []) {
    const rel = str(l['@rel']) ?? '';
    map.set(rel.slice(rel.lastIndexOf('/') + 1).toUpperCase(), str(l['@uri']) ?? '');
  }
  return map;
}

/** Path and query of an absolute or relative URI. */
export function pathOf(uri: string): string {
  const u = new URL(uri, 'http://base.invalid');
  return `${u.pathname}${u.search}`;
}

/** The DigipostError of an answer that is not 2xx: its `<error>` when it has one, else by status alone. */
export function errorFrom(status: number, body: Buffer): DigipostError {
  let e: Xml = {};
  try {
    e = (parser.parse(body.toString('utf8'))?.error ?? {}) as Xml;
  } catch {
    // not XML: the error is classified by status alone
  }
  const code =
    str(e['error-code']) ??
    (status === 503 ? 'API_UNAVAILABLE' : status >= 500 ? 'SERVER_ERROR' : 'GENERAL_ERROR');
  return new DigipostError(
    code,
    str(e['error-message']) ?? `HTTP ${status}`,
    status,
    undefined,
    str(e['error-type']),
  );
}
