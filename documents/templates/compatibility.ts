// The one rule that decides which templates may go to Digipost (PRODUCT.md, "Digipost-compatible templates").

/**
 * A template is Digipost-compatible when its code starts with a short uppercase marker of 2–5 letters followed
 * by an underscore: `IKV_` (inkassovarsel), `BO_` (betalingsoppfordring), `SV_` (siste varsel), e.g.
 * `IKV_inkassovarsel`. Codes without the marker (`rentenota`, `saldo_oppgave`) are produced for the tenant to
 * send itself and are never sent to Digipost. The marker is checked on the code as given: no trimming, no case
 * folding, so `ikv_x` and ` IKV_x` are not compatible.
 */
export function isDigipostCompatible(code: string): boolean {
  return /^[A-ZÆØÅ]{2,5}_/.test(code);
}

/** Case flows (saksganger) whose names start with `*` may contain only Digipost-compatible templates. */
export function isDigipostOnlyFlow(flowName: string): boolean {
  return flowName.startsWith('*');
}

/**
 * Whether a letter goes to Digipost: only a Digipost-compatible (`_`) template, and, when the letter names a
 * case flow, only within a `*` flow. Every other letter is produced for the tenant to send itself
 * («Til egen utsendelse»): its PDF is downloadable, it is never sent.
 */
export function goesToDigipost(templateCode: string, caseFlow?: string | null): boolean {
  return isDigipostCompatible(templateCode) && (caseFlow == null || isDigipostOnlyFlow(caseFlow));
}
