/** Small PromQL builders shared by the rule definitions. */

/** `gen_ai_*` label names and the short names the recording rules and alerts use. */
export const RENAME = {
  gen_ai_agent_name: "agent",
  gen_ai_provider_name: "provider",
  gen_ai_request_model: "model",
  gen_ai_operation_name: "operation",
  gen_ai_token_type: "token_type",
  gen_ai_data_source_id: "data_source",
} as const;
export type GenAiLabel = keyof typeof RENAME;

/** Copies each `gen_ai_*` label to its short name (label_replace keeps the original; aggregate it away). */
export function shortLabels(expr: string, labels: readonly GenAiLabel[]): string {
  return labels.reduce((inner, from) => `label_replace(${inner}, "${RENAME[from]}", "$1", "${from}", "(.*)")`, expr);
}

/** `sum by (labels) (expr)`. */
export function sumBy(labels: readonly string[], expr: string): string {
  return `sum by (${labels.join(", ")}) (${expr})`;
}

/**
 * `bad / total` with the guards every ratio needs: 0 (not nothing) when `bad` has no series where
 * `total` has one, and nothing (not NaN or +Inf) where `total` is 0.
 */
export function ratio(bad: string, total: string): string {
  return `(${bad} or ${total} * 0) / (${total} > 0)`;
}

/** A number as PromQL and Go templates write it: no exponent, no trailing zeros. */
export function num(n: number): string {
  if (!Number.isFinite(n)) throw new Error(`not a finite number: ${n}`);
  const s = String(Math.round(n * 1e12) / 1e12);
  if (/e/i.test(s)) throw new Error(`number too large or small for a rule: ${n}`);
  return s;
}

/** Le label value of a bucket bound, as prom-client writes it (`0.5`, `12.8`, `1`). */
export function le(bound: number): string {
  return num(bound);
}
