/**
 * True when a string of decimal digits passes the Luhn (mod 10) check used by payment card numbers.
 * Any non-digit character makes it false.
 */
export function luhnValid(digits: string): boolean {
  if (!/^\d+$/.test(digits)) return false;
  let sum = 0;
  let double = false;
  for (let i = digits.length - 1; i >= 0; i--) {
    let d = digits.charCodeAt(i) - 48;
    if (double) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
    double = !double;
  }
  return sum % 10 === 0;
}

/**
 * True when a compact IBAN (no spaces, letters in either case) passes the ISO 13616 / ISO 7064
 * mod-97 check: move the first four characters to the end, turn letters into 10..35 and the
 * resulting number must leave remainder 1 when divided by 97.
 */
export function ibanMod97Valid(compact: string): boolean {
  if (!/^[A-Za-z]{2}\d{2}[A-Za-z0-9]+$/.test(compact)) return false;
  const rearranged = (compact.slice(4) + compact.slice(0, 4)).toUpperCase();
  let remainder = 0;
  for (const ch of rearranged) {
    const value = parseInt(ch, 36);
    remainder = value > 9 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
}
