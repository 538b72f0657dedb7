// The document package: every template the system ships, and lookups over it.
import { isDigipostCompatible } from './compatibility';
import { betalingsoppfordring } from './BO_betalingsoppfordring';
import { inkassovarsel } from './IKV_inkassovarsel';
import { rentenota } from './rentenota';
import { saldoOppgave } from './saldo_oppgave';
import { sisteVarsel } from './SV_siste_varsel';
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
