// A letter may name the case flow (saksgang) and the step it is sent as; the flow's rules are checked here,
// each refusal naming the field. Whether the letter then goes to Digipost is documents' goesToDigipost.
import { ApiError } from './errors';
import { findCaseFlow, listCaseFlows } from '../documents';

function refuse(field: string, problem: string): never {
  throw new ApiError(400, 'VALIDATION_FAILED', `${field}: ${problem}`, [{ field, in: 'body', problem }]);
}

/** The flow and 1-based step the letter is sent as (the template's first place when no step is named). */
export function caseFlowOf(input: {
  templateCode: string;
  caseFlow?: string;
  step?: number;
}): { name: string; step: number } | undefined {
  if (input.caseFlow === undefined) {
    if (input.step !== undefined) refuse('step', 'a step needs `caseFlow`, the flow it belongs to');
    return undefined;
  }
  const flow = findCaseFlow(input.caseFlow);
  if (!flow)
    refuse(
      'caseFlow',
      `unknown case flow "${input.caseFlow}"; known: ${listCaseFlows()
        .map((f) => `"${f.name}"`)
        .join(', ')}`,
    );
  if (input.step === undefined) {
    const at = flow.templates.indexOf(input.templateCode);
    if (at < 0)
      refuse(
        'templateCode',
        `"${input.templateCode}" is not part of the case flow "${flow.name}" (${flow.templates.join(' → ')})`,
      );
    return { name: flow.name, step: at + 1 };
  }
  const expected = flow.templates[input.step - 1];
  if (expected === undefined)
    refuse('step', `the case flow "${flow.name}" has ${flow.templates.length} steps`);
  if (expected !== input.templateCode)
    refuse(
      'step',
      `step ${input.step} of the case flow "${flow.name}" is "${expected}", not "${input.templateCode}"`,
    );
  return { name: flow.name, step: input.step };
}
