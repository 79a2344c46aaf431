/** The shapes of the promtool unit tests that rule-tests/ writes. */
import type { Severity } from "../config.js";

/** One alert expected to fire: its labels (with `severity` and the rule's own labels) and its rendered description. */
export interface Expectation {
  labels: Record<string, string> & { severity: Severity };
  description: string;
}

/** The alerts named `alert` that fire at `at`: exactly `fires` (none is a check that it stays quiet). */
export interface AlertCheck {
  at: string;
  alert: string;
  fires: Expectation[];
  /** Which nearby series stay quiet, and why. */
  quiet: string;
}

export interface ExprCheck {
  at: string;
  expr: string;
  samples: { labels: string; value: number }[];
}

export interface RuleTestGroup {
  name: string;
  /** Time between input samples. */
  interval: string;
  /** Series selector → promtool expanding notation. */
  series: Record<string, string>;
  alerts: AlertCheck[];
  exprs?: ExprCheck[];
}

export interface RuleTestFile {
  /** File name under prometheus/tests/. */
  file: string;
  evaluationInterval: string;
  groups: RuleTestGroup[];
}

/** One area's test groups: `short` go to the file evaluated every minute, `long` to the one evaluated every hour. */
export interface AreaTests {
  short: RuleTestGroup[];
  long: RuleTestGroup[];
}
