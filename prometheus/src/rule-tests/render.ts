/** promtool test files (as plain objects for YAML) from the test groups and the rules they test. */
import type { AlertRule, Rules } from "../rules/index.js";
import type { RuleTestFile } from "./types.js";

/** The rule an expectation is about: same name, and every label of the rule present in the expectation with the same value. */
export function ruleFor(rules: Rules, alert: string, labels: Record<string, string>): AlertRule {
  const candidates = rules.alerting.flatMap((g) => g.rules).filter((r) => r.alert === alert);
  const match = candidates.filter((r) => Object.entries(r.labels).every(([k, v]) => labels[k] === v));
  if (match.length !== 1) {
    throw new Error(
      `expected exactly one rule ${alert} with labels ${JSON.stringify(labels)}, found ${match.length} (rules: ${candidates.map((r) => JSON.stringify(r.labels)).join(", ")})`,
    );
  }
  return match[0] as AlertRule;
}

/** Replaces `{{ $labels.name }}` by the label's value (the only template in static annotations). */
export function renderLabels(text: string, labels: Record<string, string>): string {
  return text.replace(/\{\{\s*\$labels\.([a-zA-Z_][a-zA-Z0-9_]*)\s*\}\}/g, (_m, name: string) => labels[name] ?? "");
}

/** A promtool test file (as a plain object for YAML) for `file`, against the rule files in `ruleFiles`. */
export function promtoolTestFile(rules: Rules, file: RuleTestFile, ruleFiles: readonly string[]): Record<string, unknown> {
  return {
    rule_files: [...ruleFiles],
    evaluation_interval: file.evaluationInterval,
    // Recording rules first at each evaluation time: with an hourly evaluation the alerts would
    // otherwise read recorded samples an hour old, past the 5-minute lookback.
    group_eval_order: [...rules.recording, ...rules.alerting].map((g) => g.name),
    tests: file.groups.map((g) => ({
      name: g.name,
      interval: g.interval,
      input_series: Object.entries(g.series).map(([series, values]) => ({ series, values })),
      ...(g.alerts.length > 0
        ? {
            alert_rule_test: g.alerts.map((check) => ({
              eval_time: check.at,
              alertname: check.alert,
              exp_alerts: check.fires.map((e) => {
                const rule = ruleFor(rules, check.alert, e.labels);
                return {
                  exp_labels: e.labels,
                  exp_annotations: {
                    summary: rule.annotations.summary,
                    description: e.description,
                    runbook_url: rule.annotations.runbook_url,
                    ...(rule.annotations.dashboard_url !== undefined
                      ? { dashboard_url: renderLabels(rule.annotations.dashboard_url, e.labels) }
                      : {}),
                  },
                };
              }),
            })),
          }
        : {}),
      ...(g.exprs && g.exprs.length > 0
        ? {
            promql_expr_test: g.exprs.map((x) => ({
              expr: x.expr,
              eval_time: x.at,
              exp_samples: x.samples.map((s) => ({ labels: s.labels, value: s.value })),
            })),
          }
        : {}),
    })),
  };
}
