// The operator actions the audit log records, each with its Norwegian words (the panel's audit page).
export const AUDIT_ACTION = {
  'letter.deleted': 'Slettet brev fra køen',
  'letter.corrected': 'Rettet adresse',
  'run.sent': 'Sendte kjøring',
  'inbound.triaged': 'Behandlet innkommende forsendelse',
  'receiving_system.created': 'Opprettet mottakersystem',
  'receiving_system.changed': 'Endret mottakersystem eller regler',
  'receiving_system.deleted': 'Slettet mottakersystem',
} as const;

export type AuditAction = keyof typeof AUDIT_ACTION;
export const AUDIT_ACTIONS = Object.keys(AUDIT_ACTION) as [AuditAction, ...AuditAction[]];
