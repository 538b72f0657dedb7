// Norwegian fødselsnummer / D-number: 11 digits with two mod-11 control digits.
const W1 = [3, 7, 6, 1, 8, 9, 4, 5, 2];
const W2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2];

function control(digits: number[], weights: number[]): number {
  const r = 11 - (weights.reduce((s, w, i) => s + w * digits[i]!, 0) % 11);
  return r === 11 ? 0 : r;
}

export function isValidNationalId(value: string): boolean {
  if (!/^\d{11}$/.test(value)) return false;
  const d = [...value].map(Number);
  const k1 = control(d, W1);
  const k2 = control(d, W2);
  return k1 !== 10 && k2 !== 10 && k1 === d[9] && k2 === d[10];
}
