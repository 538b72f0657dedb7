// What a receiving system's automatic rules decide for a received item (pure: the intake's planTriage asks it,
// activities/inbound-activities.ts). An item the rules do not cover is left to an operator.

/** A receiving system's automatic triage (stored as jsonb, db/schema-inbound.ts). The first rule that matches decides. */
export interface TriageRules {
  /** When the sender's metadataForImport names a case (saksår + sakssekvensnummer), archive into it. */
  archiveIntoNamedCase: boolean;
  /**
   * Forward to a destination when the sender's organisation number and/or forsendelseType match. The "sender
   * organisation number" is `svarSendesTil.orgnr`, the party replies go to: SvarUt's `avsender` carries no
   * organisation number (archive-noark5.md §1.4 point 17, svarinn-api.md).
   */
  forward: { senderOrgNumber?: string; forsendelseType?: string; destination: string }[];
}

export interface TriageRuleItem {
  senderOrgNumber: string | null;
  forsendelseType: string | null;
  /** SvarUt's metadataForImport, where the sender names its case. */
  namedCase?: { saksaar?: number | null; sakssekvensnummer?: number | null } | null;
}

export type RuleDecision =
  { action: 'archive'; caseNumber: string } | { action: 'forward'; destination: string };

/**
 * Archiving into a named case first, then the first forward rule that names at least one criterion and whose
 * criteria all match, if its destination is still configured (`destinations`).
 */
export function ruleDecision(
  rules: TriageRules,
  item: TriageRuleItem,
  destinations: readonly string[],
): RuleDecision | undefined {
  const named = item.namedCase;
  if (rules.archiveIntoNamedCase && named?.saksaar && named.sakssekvensnummer)
    return { action: 'archive', caseNumber: `${named.saksaar}/${named.sakssekvensnummer}` };
  const rule = rules.forward.find(
    (r) =>
      (r.senderOrgNumber ?? r.forsendelseType) !== undefined &&
      (r.senderOrgNumber === undefined || r.senderOrgNumber === item.senderOrgNumber) &&
      (r.forsendelseType === undefined || r.forsendelseType === item.forsendelseType),
  );
  if (rule && destinations.includes(rule.destination))
    return { action: 'forward', destination: rule.destination };
  return undefined;
}
