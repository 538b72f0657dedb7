// The document package: every template the system ships, and lookups over it.
import { isDigipostCompatible } from './compatibility';
import { betalingsoppfordring } from './BO_betalingsoppfordring';
import { inkassovarsel } from './IKV_inkassovarsel';
import { rentenota } from './rentenota';
import { saldoOppgave } from './saldo_oppgave';
import { sisteVarsel } from './SV_siste_varsel';
import { z } from 'zod';
import type { MergeData } from './merge-data';
import type { TemplateDefinition } from './template-definition';

const DEFINITIONS: readonly TemplateDefinition[] = [
  inkassovarsel,
  betalingsoppfordring,
  sisteVarsel,
  rentenota,
  saldoOppgave,
];

export interface TemplateInfo {
  code: string;
  name: string;
  digipostCompatible: boolean;
}

export interface MergeDataIssue {
  /** Dotted path into the merge data, e.g. `claims.0.amount`; empty for the whole object. */
  path: string;
  message: string;
}

export function findDefinition(code: string): TemplateDefinition | undefined {
  return DEFINITIONS.find((t) => t.code === code);
}

function info(t: TemplateDefinition): TemplateInfo {
  return { code: t.code, name: t.name, digipostCompatible: isDigipostCompatible(t.code) };
}

export function listTemplates(): TemplateInfo[] {
  return DEFINITIONS.map(info);
}

export function getTemplate(code: string): TemplateInfo | undefined {
  const t = findDefinition(code);
  return t && info(t);
}

/** Checks merge data against the template's schema; an unknown template is an issue on `templateCode`. */
export function validateMergeData(
  code: string,
  data: unknown,
): { ok: true; data: MergeData } | { ok: false; issues: MergeDataIssue[] } {
  const t = findDefinition(code);
  if (!t) return { ok: false, issues: [{ path: 'templateCode', message: `unknown template "${code}"` }] };
  const parsed = t.schema.safeParse(data);
  if (parsed.success) return { ok: true, data: parsed.data };
  return {
    ok: false,
    issues: parsed.error.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
  };
}

/**
 * The template's merge data as JSON Schema (draft 2020-12), generated from the zod schema that validates it, as
 * sent (before trimming and normalising). Checks JSON Schema cannot express (KID and account number control
 * digits, the total against its lines, deadlines) are made when the letter is submitted.
 */
export function mergeDataJsonSchema(code: string): Record<string, unknown> | undefined {
  const t = findDefinition(code);
  return t && z.toJSONSchema(t.schema, { io: 'input', unrepresentable: 'any' });
}
