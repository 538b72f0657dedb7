// Realistic merge data and recipients for tests: a municipality's collection office and a debtor in Oslo.
// Account number, org nr and KIDs carry valid check digits.
export const sampleRecipient = {
  name: 'Kari Nordmann',
  // Three address lines, the most Digipost's norwegian-address holds: the tallest address the window must take.
  address: { lines: ['c/o Ola Nordmann', 'Storgata 1', 'Leilighet H0203'], postalCode: '0155', city: 'OSLO' },
};

export function sampleMergeData(overrides: Record<string, unknown> = {}) {
  return {
    letterDate: '2026-11-23',
    caseNumber: 'INK-2026-004711',
    customerNumber: '100234',
    creditor: {
      name: 'Oslo kommune Kemnerkontoret',
      orgNumber: '974760673',
      address: { lines: ['Postboks 1234 Sentrum'], postalCode: '0106', city: 'OSLO' },
      phone: '21 80 21 80',
      email: 'innfordring@example.no',
    },
    debtor: { name: 'Kari Nordmann' },
    claims: [
      {
        description: 'Kommunale avgifter 3. termin 2026',
        invoiceNumber: '2026-88812',
        originalDueDate: '2026-09-20',
        amount: 1234.5,
      },
      {
        description: 'Feiing og tilsyn 2026',
        invoiceNumber: '2026-88813',
        originalDueDate: '2026-09-20',
        amount: 412,
      },
    ],
    fees: [{ description: 'Gebyr for inkassovarsel', amount: 35 }],
    interest: { ratePercent: 12.5, from: '2026-09-21', amount: 36.15 },
    total: 1717.65,
    dueDate: '2026-12-08',
    kid: '12345678903',
    accountNumber: '8601.11.17947',
    ...overrides,
  };
}

/** A letter request (POST /v1/letters) for the IKV_ template (or another), with realistic merge data. */
export function sampleLetterRequest(opts: {
  caseId: string;
  nationalId: string;
  templateCode?: string;
  address?: { lines: string[]; postalCode?: string; city?: string };
}) {
  return {
    caseId: opts.caseId,
    templateCode: opts.templateCode ?? 'IKV_inkassovarsel',
    recipient: {
      nationalId: opts.nationalId,
      name: 'Kari Nordmann',
      address: opts.address ?? { lines: ['Storgata 1'], postalCode: '0155', city: 'OSLO' },
    },
    mergeData: sampleMergeData(),
  };
}
