// The document package's public interface: templates, case flows, merge-data validation and PDF rendering.
// Everything else in documents/ is detail behind these names.
import { findDefinition, validateMergeData } from './templates/catalogue';
import { recipientSchema } from './templates/merge-data';
import { renderLetter } from './render';
import { TemplateError } from './template-error';

export { listTemplates, getTemplate, validateMergeData, mergeDataJsonSchema } from './templates/catalogue';
export type { TemplateInfo, MergeDataIssue } from './templates/catalogue';
export { findCaseFlow, listCaseFlows, validateCaseFlow } from './templates/case-flows';
export type { CaseFlow } from './templates/case-flows';
export { goesToDigipost, isDigipostCompatible, isDigipostOnlyFlow } from './templates/compatibility';
export { validateKid, validateAccountNumber, validateOrgNumber } from './checksums';
export { recipientSchema, postalAddressSchema } from './templates/merge-data';
export type { MergeData, Recipient } from './templates/merge-data';
export { TemplateError } from './template-error';
export type { TemplateErrorCode } from './template-error';
export { MAX_PRINT_PAGES, sheetsFor } from './page-layout';
export { renderLetterPdf } from './letter-pdf';

/**
 * Validates the merge data and the recipient, then renders the letter: A4, print-ready, the recipient in the
 * envelope window. `sheets` is what print is billed by (duplex: two pages a sheet). Throws `TemplateError`
 * (UNKNOWN_TEMPLATE, INVALID_MERGE_DATA, INVALID_RECIPIENT, TOO_MANY_PAGES) with field-level issues.
 */
export async function renderTemplate(
  code: string,
  data: unknown,
  recipient: { name: string; address: { lines: string[]; postalCode?: string; city?: string } },
): Promise<{ pdf: Uint8Array; pages: number; sheets: number }> {
  const template = findDefinition(code);
  if (!template) throw new TemplateError('UNKNOWN_TEMPLATE', `unknown template "${code}"`);
  const merge = validateMergeData(code, data);
  if (!merge.ok)
    throw new TemplateError('INVALID_MERGE_DATA', `invalid merge data for ${code}`, merge.issues);
  const to = recipientSchema.safeParse(recipient);
  if (!to.success) {
    throw new TemplateError(
      'INVALID_RECIPIENT',
      'invalid recipient',
      to.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    );
  }
  return renderLetter(template, merge.data, to.data);
}
