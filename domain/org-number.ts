// Norwegian organisasjonsnummer (Enhetsregisteret): 9 digits, the last a mod-11 control digit over the first
// eight with weights 3, 2, 7, 6, 5, 4, 3, 2. A remainder giving control digit 10 is never issued.
const WEIGHTS = [3, 2, 7, 6, 5, 4, 3, 2];

export function isValidOrgNumber(value: string): boolean {
  if (!/^\d{9}$/.test(value)) return false;
  const d = [...value].map(Number);
  const r = 11 - (WEIGHTS.reduce((s, w, i) => s + w * d[i]!, 0) % 11);
  const control = r === 11 ? 0 : r;
  return control !== 10 && control === d[8];
}
