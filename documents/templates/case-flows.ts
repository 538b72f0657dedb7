// Case flows (saksganger): the sequence of letters a case goes through. A flow whose name starts with `*` is
// sent through Digipost and may contain only Digipost-compatible templates.
import { isDigipostCompatible, isDigipostOnlyFlow } from './compatibility';
import { findDefinition } from './catalogue';

export interface CaseFlow {
  name: string;
  templates: string[];
  /** True for `*` flows: every letter goes to Digipost. */
  digipostOnly: boolean;
}

const FLOWS: readonly { name: string; templates: string[] }[] = [
  {
    name: '*standard_inkasso',
    templates: ['IKV_inkassovarsel', 'BO_betalingsoppfordring', 'SV_siste_varsel'],
  },
  { name: '*Standard med vurdering', templates: ['IKV_inkassovarsel', 'BO_betalingsoppfordring'] },
  {
    name: 'inkasso_med_rentenota',
    templates: ['IKV_inkassovarsel', 'rentenota', 'BO_betalingsoppfordring', 'saldo_oppgave'],
  },
];

export function listCaseFlows(): CaseFlow[] {
  return FLOWS.map((f) => ({
    name: f.name,
    templates: [...f.templates],
    digipostOnly: isDigipostOnlyFlow(f.name),
  }));
}

/** A shipped flow by its exact name (the `*` included). */
export function findCaseFlow(name: string): CaseFlow | undefined {
  return listCaseFlows().find((f) => f.name === name);
}

/**
 * A flow is valid when it has at least one template, every template exists, and, for a `*` flow, every
 * template is Digipost-compatible. Issues name the offending position (`templates.1`).
 */
export function validateCaseFlow(flow: {
  name: string;
  templates: string[];
}): { ok: true } | { ok: false; issues: { path: string; message: string }[] } {
  const issues: { path: string; message: string }[] = [];
  if (flow.templates.length === 0)
    issues.push({ path: 'templates', message: 'a case flow needs at least one template' });
  flow.templates.forEach((code, i) => {
    if (!findDefinition(code)) issues.push({ path: `templates.${i}`, message: `unknown template "${code}"` });
    else if (isDigipostOnlyFlow(flow.name) && !isDigipostCompatible(code))
      issues.push({
        path: `templates.${i}`,
        message: `"${code}" is not Digipost-compatible, so it cannot be part of the *-flow "${flow.name}"`,
      });
  });
  return issues.length === 0 ? { ok: true } : { ok: false, issues };
}
