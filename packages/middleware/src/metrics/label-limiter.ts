/** The value a label takes once its metric has seen `maxValues` distinct values. */
export const OVERFLOW_VALUE = "other";
const MAX_VALUE_LENGTH = 128;

/** One label of one metric. */
export interface MetricLabel {
  metric: string;
  label: string;
}

/**
 * Keeps every metric label to a bounded set of values: the first `maxValues` distinct values of
 * a (metric, label) pair pass, later ones collapse into `other` and `onOverflow` is told.
 */
export class LabelLimiter {
  /** metric → label → values seen. */
  private readonly seen = new Map<string, Map<string, Set<string>>>();

  constructor(
    private readonly maxValues: number,
    private readonly onOverflow: (at: MetricLabel) => void,
  ) {}

  /** The bounded value to use for `raw` on `metric`'s `label`. */
  value({ metric, label, raw }: MetricLabel & { raw: unknown }): string {
    const text = normalize(raw);
    let labels = this.seen.get(metric);
    if (labels === undefined) {
      labels = new Map();
      this.seen.set(metric, labels);
    }
    let values = labels.get(label);
    if (values === undefined) {
      values = new Set();
      labels.set(label, values);
    }
    if (values.has(text)) return text;
    if (values.size < this.maxValues) {
      values.add(text);
      return text;
    }
    this.onOverflow({ metric, label });
    return OVERFLOW_VALUE;
  }
}

/** Strings with ES2024's well-formedness methods (Node 20 has them; the ES2023 lib does not declare them). */
type Utf16 = string & { isWellFormed(): boolean; toWellFormed(): string };

/**
 * A label value: at most 128 UTF-16 units, never cut inside a surrogate pair (an emoji), and
 * well-formed (a lone surrogate, which UTF-8 cannot carry, becomes U+FFFD).
 */
function normalize(raw: unknown): string {
  if (raw === undefined || raw === null) return "";
  let text = typeof raw === "string" ? raw : String(raw);
  if (text.length > MAX_VALUE_LENGTH) {
    const high = (text.charCodeAt(MAX_VALUE_LENGTH - 1) & 0xfc00) === 0xd800;
    text = text.slice(0, high ? MAX_VALUE_LENGTH - 1 : MAX_VALUE_LENGTH);
  }
  return (text as Utf16).isWellFormed() ? text : (text as Utf16).toWellFormed();
}
