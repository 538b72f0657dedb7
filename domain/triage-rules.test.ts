// Unit tests of the automatic triage rules (domain/triage-rules.ts): no database, no Temporal.
import { describe, expect, it } from 'vitest';
import { ruleDecision, type TriageRules } from './triage-rules';

const item = { senderOrgNumber: '910000001', forsendelseType: 'byggesak', namedCase: null };
const none: TriageRules = { archiveIntoNamedCase: false, forward: [] };
const destinations = ['postmottak', 'byggesak'];

describe('ruleDecision', () => {
  it('no rules: left to an operator', () => {
    expect(ruleDecision(none, item, destinations)).toBeUndefined();
  });

  it('archives into the case the sender named, before any forward rule', () => {
    const rules: TriageRules = {
      archiveIntoNamedCase: true,
      forward: [{ senderOrgNumber: '910000001', destination: 'postmottak' }],
    };
    const named = { ...item, namedCase: { saksaar: 2026, sakssekvensnummer: 42 } };
    expect(ruleDecision(rules, named, destinations)).toEqual({ action: 'archive', caseNumber: '2026/42' });
  });

  it('does not archive when the sender named no case, or only half of one', () => {
    const rules: TriageRules = { archiveIntoNamedCase: true, forward: [] };
    expect(ruleDecision(rules, item, destinations)).toBeUndefined();
    const half = { ...item, namedCase: { saksaar: 2026, sakssekvensnummer: null } };
    expect(ruleDecision(rules, half, destinations)).toBeUndefined();
    // the setting off: a named case is not enough
    const named = { ...item, namedCase: { saksaar: 2026, sakssekvensnummer: 42 } };
    expect(ruleDecision(none, named, destinations)).toBeUndefined();
  });

  it('forwards by the first rule whose criteria all match', () => {
    const rules: TriageRules = {
      archiveIntoNamedCase: false,
      forward: [
        { senderOrgNumber: '910000001', forsendelseType: 'klage', destination: 'postmottak' },
        { forsendelseType: 'byggesak', destination: 'byggesak' },
        { senderOrgNumber: '910000001', destination: 'postmottak' },
      ],
    };
    expect(ruleDecision(rules, item, destinations)).toEqual({ action: 'forward', destination: 'byggesak' });
  });

  it('a rule without criteria matches nothing', () => {
    const rules: TriageRules = { archiveIntoNamedCase: false, forward: [{ destination: 'postmottak' }] };
    expect(ruleDecision(rules, item, destinations)).toBeUndefined();
  });

  it('a rule whose destination is no longer configured decides nothing', () => {
    const rules: TriageRules = {
      archiveIntoNamedCase: false,
      forward: [{ senderOrgNumber: '910000001', destination: 'nedlagt' }],
    };
    expect(ruleDecision(rules, item, destinations)).toBeUndefined();
  });
});
