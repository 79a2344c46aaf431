import { type Exposition, parseExposition, type Sample } from "./openmetrics.js";

/** A series' identity: its name and its labels in name order. */
export function seriesKey(s: Sample): string {
  const labels = Object.entries(s.labels).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `${s.name}${JSON.stringify(labels)}`;
}

const withoutLe = (s: Sample) => seriesKey({ ...s, labels: Object.fromEntries(Object.entries(s.labels).filter(([k]) => k !== "le")) });
const le = (s: Sample) => (s.labels.le === "+Inf" ? Number.POSITIVE_INFINITY : Number(s.labels.le));

/**
 * Checks one scrape on its own and returns the values of its monotonic series (counters, and
 * histogram buckets, counts and sums: every agentwatch histogram observes values >= 0). Throws on:
 * a line that does not parse, a series that appears twice, buckets that are not cumulative, a
 * missing `+Inf` bucket or one that differs from `_count`, a `_sum` that is not finite and >= 0.
 */
export function checkScrape(text: string): { expo: Exposition; monotonic: Map<string, number> } {
  const expo = parseExposition(text);
  const seen = new Set<string>();
  for (const s of expo.samples) {
    const key = seriesKey(s);
    if (seen.has(key)) throw new Error(`series twice in one scrape: ${key}`);
    seen.add(key);
  }
  const monotonic = new Map<string, number>();
  const byKey = new Map(expo.samples.map((s) => [seriesKey(s), s]));
  for (const [family, type] of expo.types) {
    if (type === "counter") {
      for (const s of expo.samples.filter((x) => x.name === `${family}_total` || x.name === family)) monotonic.set(seriesKey(s), s.value);
      continue;
    }
    if (type !== "histogram") continue;
    const groups = new Map<string, Sample[]>();
    for (const b of expo.samples.filter((x) => x.name === `${family}_bucket`)) {
      const key = withoutLe({ ...b, name: family });
      groups.set(key, [...(groups.get(key) ?? []), b]);
    }
    for (const [key, buckets] of groups) {
      buckets.sort((a, b) => le(a) - le(b));
      buckets.forEach((b, i) => {
        if (i > 0 && b.value < (buckets[i - 1] as Sample).value)
          throw new Error(`buckets of ${key} are not cumulative at le=${b.labels.le}`);
        monotonic.set(seriesKey(b), b.value);
      });
      const inf = buckets.at(-1) as Sample;
      if (inf.labels.le !== "+Inf") throw new Error(`${key} has no +Inf bucket`);
      const labels = { ...inf.labels };
      delete labels.le;
      const count = byKey.get(seriesKey({ name: `${family}_count`, labels, value: 0 }));
      const sum = byKey.get(seriesKey({ name: `${family}_sum`, labels, value: 0 }));
      if (count?.value !== inf.value) throw new Error(`${key}: +Inf bucket ${inf.value} != _count ${count?.value}`);
      if (sum === undefined || !Number.isFinite(sum.value) || sum.value < 0)
        throw new Error(`${key}: _sum ${sum?.value} is not finite and >= 0`);
      monotonic.set(seriesKey(count), count.value);
      monotonic.set(seriesKey(sum), sum.value);
    }
  }
  return { expo, monotonic };
}

/** Throws if a monotonic series of `before` went down or vanished in `after`. */
export function checkMonotonic(before: Map<string, number>, after: Map<string, number>): void {
  for (const [key, value] of before) {
    const now = after.get(key);
    if (now === undefined) throw new Error(`series vanished between scrapes: ${key}`);
    if (now < value) throw new Error(`series went down between scrapes: ${key} ${value} → ${now}`);
  }
}
