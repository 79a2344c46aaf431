/**
 * A number as a person reads it: integers as they are, others to six significant digits with
 * trailing zeros dropped, so float noise such as `0.00013237499999999998` prints as `0.000132375`.
 */
export function readableNumber(value: number): string {
  if (!Number.isFinite(value) || Number.isInteger(value)) return String(value);
  return String(Number(value.toPrecision(6)));
}
