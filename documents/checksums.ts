// Check digits used on Norwegian payment slips and registers. All functions take digits only (no spaces or
// dots) and answer false for anything else, so callers normalise display formats first.
import { isValidOrgNumber } from '../domain/org-number';

/** Luhn / MOD10: doubling every second digit from the right, including the check digit's neighbour. */
function mod10CheckDigit(body: string): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    const digit = Number(body[body.length - 1 - i]);
    const weighted = i % 2 === 0 ? digit * 2 : digit;
    sum += weighted > 9 ? weighted - 9 : weighted;
  }
  return (10 - (sum % 10)) % 10;
}

/**
 * MOD11 with the given weights applied from the right (the last weight multiplies the digit next to the check
 * digit). Returns 0–10; 10 means no single digit fits (written "-" in a KID, invalid for accounts and org nr).
 */
function mod11CheckDigit(body: string, weightsFromRight: readonly number[]): number {
  let sum = 0;
  for (let i = 0; i < body.length; i++) {
    sum += Number(body[body.length - 1 - i]) * weightsFromRight[i % weightsFromRight.length]!;
  }
  const remainder = sum % 11;
  return remainder === 0 ? 0 : 11 - remainder;
}

const KID_MOD11_WEIGHTS = [2, 3, 4, 5, 6, 7] as const;

/**
 * A KID (kundeidentifikasjon) on a Norwegian giro: 2–25 characters, digits, whose last character is a MOD10
 * (Luhn) or MOD11 check digit; which one is agreed with the bank per agreement, so either is accepted. In MOD11
 * a remainder giving 10 is written "-".
 */
export function validateKid(kid: string): boolean {
  if (!/^\d{1,24}[\d-]$/.test(kid)) return false;
  const body = kid.slice(0, -1);
  const check = kid.slice(-1);
  const mod11 = mod11CheckDigit(body, KID_MOD11_WEIGHTS);
  if (check === '-') return mod11 === 10;
  return Number(check) === mod10CheckDigit(body) || Number(check) === mod11;
}

/** A Norwegian bank account number: 11 digits, the last a MOD11 check digit (weights 5,4,3,2,7,6,5,4,3,2). */
export function validateAccountNumber(n: string): boolean {
  if (!/^\d{11}$/.test(n)) return false;
  const check = mod11CheckDigit(n.slice(0, 10), [2, 3, 4, 5, 6, 7]);
  return check !== 10 && check === Number(n[10]);
}

/** A Norwegian organisation number (Enhetsregisteret): the one check, in domain/org-number.ts. */
export const validateOrgNumber = isValidOrgNumber;
