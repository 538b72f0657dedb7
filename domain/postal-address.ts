// A Norwegian postal address as case systems send it; it may be incomplete (then print is impossible).
export interface PostalAddress {
  lines: string[];
  postalCode?: string;
  city?: string;
}

/** Complete enough for Digipost's print: at least one address line, a four-digit postal code and a city. */
/** A letter's recipient as stored with the letter (letters.recipient): personal data, never in history. */
export interface StoredRecipient {
  name: string;
  nationalId?: string;
  orgNumber?: string;
  address: PostalAddress;
}

export function isCompleteAddress(a: PostalAddress | undefined): a is Required<PostalAddress> {
  return (
    !!a &&
    a.lines.some((l) => l.trim().length > 0) &&
    /^\d{4}$/.test(a.postalCode ?? '') &&
    (a.city ?? '').trim().length > 0
  );
}

/** What is missing, in Norwegian, for the failure list. */
export function missingAddressParts(a: PostalAddress | undefined): string[] {
  const missing: string[] = [];
  if (!a?.lines.some((l) => l.trim().length > 0)) missing.push('adresselinje');
  if (!/^\d{4}$/.test(a?.postalCode ?? '')) missing.push('postnummer');
  if (!(a?.city ?? '').trim()) missing.push('poststed');
  return missing;
}
