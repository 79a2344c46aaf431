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
