/** The value a label takes once its metric has seen `maxValues` distinct values. */
export const OVERFLOW_VALUE = "other";
const MAX_VALUE_LENGTH = 128;

/**
 * Keeps every metric label to a bounded set of values: the first `maxValues` distinct values of
 * a (metric, label) pair pass, later ones collapse into `other` and `onOverflow` is told.
 */
export class LabelLimiter {
  /** metric → label → values seen. */
  private readonly seen = new Map<string, Map<string, Set<string>>>();

  constructor(
    private readonly maxValues: number,
    private readonly onOverflow: (metric: string, label: string) => void,
  ) {}

  /** The bounded value to use for `raw` on `metric`'s `label`. */
  value(metric: string, label: string, raw: unknown): string {
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
    this.onOverflow(metric, label);
    return OVERFLOW_VALUE;
  }
}

function normalize(raw: unknown): string {
  if (raw === undefined || raw === null) return "";
  const text = typeof raw === "string" ? raw : String(raw);
  return text.length > MAX_VALUE_LENGTH ? text.slice(0, MAX_VALUE_LENGTH) : text;
}
