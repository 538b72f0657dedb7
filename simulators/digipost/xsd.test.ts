// The compiled-schema validator (libxml2-wasm) against xmllint-wasm's validateXML() (`xmllint --schema`): the same
// libxml2, the same schema, so the same verdicts and the same messages, document for document. (For a document
// that is not well-formed, xmllint also echoes the offending source line; that echo is not a message of its own.)
import { afterAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { validateXML } from 'xmllint-wasm';
import { XSD_PATH } from './xml';
import { XsdValidator } from './xsd';

const NS = 'http://api.digipost.no/schema/v8';
const UUID = '5b2ba4f1-07e3-4f3a-a8d6-2f3b0e1d7a11';
const recipient =
  '<recipient><personal-identification-number>01019010046</personal-identification-number></recipient>';
const primary = (o: { uuid?: string; level?: string } = {}) =>
  `<primary-document><uuid>${o.uuid ?? UUID}</uuid><subject>Vedtak</subject><file-type>pdf</file-type>` +
  (o.level ? `<sensitivity-level>${o.level}</sensitivity-level>` : '') +
  '</primary-document>';

const DOCUMENTS: Record<string, string> = {
  valid: `<?xml version="1.0" encoding="UTF-8"?><message xmlns="${NS}"><message-id>m-1</message-id>${recipient}${primary()}</message>`,
  'valid batch': `<batch xmlns="${NS}"><uuid>${UUID}</uuid></batch>`,
  malformed: `<identification xmlns="${NS}"><personal-`,
  'not XML': 'hello',
  empty: '',
  'only blanks': ' \n ',
  'wrong order': `<message xmlns="${NS}">${primary()}${recipient}</message>`,
  'bad enumeration': `<message xmlns="${NS}"><message-id>m-2</message-id>${recipient}${primary({ level: 'SUPER_SECURE' })}</message>`,
  'uuid off the pattern': `<batch xmlns="${NS}"><uuid>NOT-A-UUID</uuid></batch>`,
  'unknown root': `<letter xmlns="${NS}"/>`,
  'no namespace': `<batch><uuid>${UUID}</uuid></batch>`,
  'several errors': `<message xmlns="${NS}"><message-id>m-3</message-id><nonsense/>${recipient}${primary({ uuid: 'x' })}</message>`,
  'non-ASCII': `<message xmlns="${NS}"><message-id>m-4</message-id>${recipient}<primary-document><uuid>${UUID}</uuid><subject>Vedtak om skjønn – ærlig, øk, å</subject><file-type>pdf</file-type><bogus>ø</bogus></primary-document></message>`,
};

async function reference(xml: string): Promise<string[]> {
  const result = await validateXML({
    xml: [{ fileName: 'request.xml', contents: xml }],
    schema: [{ fileName: 'api_v8.xsd', contents: readFileSync(XSD_PATH, 'utf8') }],
  });
  return result.valid ? [] : result.errors.map((e) => e.message.trim()).filter((m) => / error : /.test(m));
}

const validator = new XsdValidator(XSD_PATH, 'api_v8.xsd');
afterAll(() => validator.close());

describe('XsdValidator', () => {
  it.each(Object.entries(DOCUMENTS))('gives validateXML()’s answer for %s', async (_name, xml) => {
    const expected = await reference(xml);
    expect(await validator.errors(xml)).toEqual(expected);
  });

  it('tells valid from invalid, with xmllint’s messages', async () => {
    expect(await validator.errors(DOCUMENTS.valid!)).toEqual([]);
    const errors = await validator.errors(DOCUMENTS['bad enumeration']!);
    expect(errors.join('\n')).toMatch(/sensitivity-level.*enumeration.*SUPER_SECURE/);
  });

  it('answers interleaved requests each with its own result', async () => {
    const names = Object.keys(DOCUMENTS);
    const many = Array.from({ length: 40 }, (_, i) => names[i % names.length]!);
    const answers = await Promise.all(many.map((n) => validator.errors(DOCUMENTS[n]!)));
    const singly = new Map<string, string[]>();
    for (const n of names) singly.set(n, await validator.errors(DOCUMENTS[n]!));
    expect(answers).toEqual(many.map((n) => singly.get(n)));
  });

  it('compiles the schema again when used after close()', async () => {
    const v = new XsdValidator(XSD_PATH);
    expect(await v.errors(DOCUMENTS.valid!)).toEqual([]);
    await v.close();
    await v.close(); // twice is harmless
    expect(await v.errors(DOCUMENTS['uuid off the pattern']!)).not.toEqual([]);
    expect(await v.errors(DOCUMENTS.valid!)).toEqual([]);
    await v.close();
  });

  it('never keeps a process alive', async () => {
    // A script that validates and never closes the validator must still end by itself, with exit code 0.
    // (A hanging child is killed by the timeout.)
    const script = [
      `import { XsdValidator } from ${JSON.stringify(fileURLToPath(new URL('./xsd.ts', import.meta.url)))};`,
      `const v = new XsdValidator(${JSON.stringify(XSD_PATH)});`,
      `console.log(JSON.stringify([await v.errors(${JSON.stringify(DOCUMENTS.valid)}), await v.errors('<a>')]));`,
    ].join('\n');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', '--input-type=module', '--eval', script],
      { timeout: 50_000, killSignal: 'SIGKILL' },
    );
    const [valid, malformed] = JSON.parse(stdout) as string[][];
    expect(valid).toEqual([]);
    expect(malformed!.length).toBeGreaterThan(0);
  });
});
