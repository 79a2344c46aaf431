/** Safe readers for the loosely typed payloads LangChain hands to callbacks. */

export type Dict = Record<string, unknown>;

/** `value` as a record, or an empty one. */
export function dict(value: unknown): Dict {
  return typeof value === "object" && value !== null ? (value as Dict) : {};
}

/** The first non-empty string among `values`. */
export function text(...values: unknown[]): string | undefined {
  for (const v of values) if (typeof v === "string" && v !== "") return v;
  return undefined;
}

/** The first finite number among `values`. */
export function num(...values: unknown[]): number | undefined {
  for (const v of values) if (typeof v === "number" && Number.isFinite(v)) return v;
  return undefined;
}

/** Longest name or id taken from input (agent, model, tool, node, metadata value, ...) that goes on a span. */
export const MAX_NAME_LENGTH = 256;

/** `value` cut to `max` characters, never inside a surrogate pair, with "…" marking the cut. */
export function clipText(value: string, max: number = MAX_NAME_LENGTH): string {
  if (value.length <= max) return value;
  const end = (value.charCodeAt(max - 1) & 0xfc00) === 0xd800 ? max - 1 : max;
  return `${value.slice(0, end)}…`;
}

/** `table[key]` if the table has it as its own: never a member of Object.prototype ("constructor", "__proto__", ...). */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
