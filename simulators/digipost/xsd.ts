// XSD validation with libxml2 (compiled to wasm, from the libxml2-wasm package), in this thread: the schema is
// parsed and compiled once per validator, and each document is parsed and validated against that compiled
// schema, about 0.06 ms for a message. Before, each document got a fresh xmllint run that parsed the whole
// schema again (about 11 ms of CPU), which made the simulator a tenth of a large run's CPU (issue 13: the
// simulator must scale like the real service). The messages are worded as `xmllint --schema` words them (the
// same libxml2 under both): `Schemas validity error : …` and `parser error : …`; xsd.test.ts checks the
// verdicts and messages against xmllint-wasm's validateXML(), document for document.
import { readFileSync } from 'node:fs';
import { basename } from 'node:path';
import { XmlDocument, XmlLibError, XmlValidateError, XsdValidator as CompiledXsd } from 'libxml2-wasm';

/** libxml2's own message, without its trailing newline. */
const text = (message: string) => message.replace(/\s+$/, '');

export class XsdValidator {
  readonly #xsd: { xsd: string; xsdFileName: string };
  /** The compiled schema, and the parsed schema document it was compiled from (kept while it is in use). */
  #compiled: { validator: CompiledXsd; schema: XmlDocument } | undefined;

  /** The schema is compiled on the first validation; `xsdFileName` is the name its errors are reported by. */
  constructor(xsdPath: string, xsdFileName = basename(xsdPath)) {
    this.#xsd = { xsd: readFileSync(xsdPath, 'utf8'), xsdFileName };
  }

  /** Schema errors of `xml` (well-formedness included), one per libxml2 message; empty when valid. */
  async errors(xml: string): Promise<string[]> {
    const compiled = (this.#compiled ??= this.#compile());
    let doc: XmlDocument;
    try {
      doc = XmlDocument.fromString(xml, { url: 'request.xml' });
    } catch (e) {
      if (!(e instanceof XmlLibError)) throw e;
      // libxml2-wasm does not hand libxml2 an empty document; libxml2's word for one is xmllint's
      const details = e.details.length
        ? e.details.map((d) => d.message)
        : [xml.trim() === '' ? 'Document is empty' : e.message];
      return details.map((m) => `parser error : ${text(m)}`);
    }
    try {
      compiled.validator.validate(doc);
      return [];
    } catch (e) {
      if (!(e instanceof XmlValidateError)) throw e;
      return e.details.map((d) => `Schemas validity error : ${text(d.message)}`);
    } finally {
      doc.dispose();
    }
  }

  /** Frees the compiled schema; a later `errors()` compiles it again. */
  async close(): Promise<void> {
    const compiled = this.#compiled;
    this.#compiled = undefined;
    compiled?.validator.dispose();
    compiled?.schema.dispose();
  }

  #compile(): { validator: CompiledXsd; schema: XmlDocument } {
    const schema = XmlDocument.fromString(this.#xsd.xsd, { url: this.#xsd.xsdFileName });
    try {
      return { validator: CompiledXsd.fromDoc(schema), schema };
    } catch (e) {
      schema.dispose();
      throw e;
    }
  }
}
