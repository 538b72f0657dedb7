// XML for the simulator: every request body is validated against Digipost's real schema (api_v8.xsd) with
// libxml2 (xsd.ts), then read with fast-xml-parser; replies are written in the v8 namespace.
import { fileURLToPath } from 'node:url';
import { XMLBuilder, XMLParser } from 'fast-xml-parser';
import { Reject } from './state';
import { XsdValidator } from './xsd';

export const NS = 'http://api.digipost.no/schema/v8';
/** Digipost's published schema, copied unchanged from the spec (digipost-api-client-java, api_v8.xsd). */
export const XSD_PATH = fileURLToPath(new URL('./schema/digipost-api_v8.xsd', import.meta.url));

/** A validator against api_v8.xsd (compiled on first use); its owner closes it. */
export function v8Validator(): XsdValidator {
  return new XsdValidator(XSD_PATH, 'api_v8.xsd');
}

// Parsed XML is untyped by nature; each field the simulator uses is read with the helpers below.
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Xml = Record<string, any>;

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => name === 'attachment',
});
const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  suppressEmptyNode: true,
  // `is-primary-document="true"` must keep its value: XML has no bare attributes.
  suppressBooleanAttributes: false,
});

export function parseXml(xml: string): Xml {
  return parser.parse(xml) as Xml;
}

/** Text of an element that may carry attributes (`{ '#text': … }`) or be absent. */
export function text(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'object') {
    const t = (v as Xml)['#text'];
    return t === undefined ? '' : String(t);
  }
  return String(v);
}

/** `<root xmlns=v8>content</root>` with the XML declaration. */
export function document(root: string, content: Xml): string {
  return (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>' +
    builder.build({ [root]: { '@xmlns': NS, ...content } })
  );
}

/** The body parsed, when it is valid against api_v8.xsd and has the expected root; else 400 SCHEMA_VALIDATION_ERROR. */
export async function validXml(xsd: XsdValidator, xml: string, root: string): Promise<Xml> {
  const errors = await xsd.errors(xml);
  if (errors.length) throw new Reject(400, 'SCHEMA_VALIDATION_ERROR', errors.join('; '), 'CLIENT_TECHNICAL');
  const parsed = parseXml(xml)[root] as Xml | undefined;
  if (parsed === undefined)
    throw new Reject(400, 'SCHEMA_VALIDATION_ERROR', `Expected <${root}>`, 'CLIENT_TECHNICAL');
  return typeof parsed === 'object' ? parsed : {};
}
