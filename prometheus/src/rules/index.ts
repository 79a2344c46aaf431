/**
 * agentwatch's recording and alerting rules, built from config.ts, one module per area (runs,
 * model calls, provider health, cost, quality, SLOs, symptoms, canaries, agentwatch's own health). `buildRules()` is
 * production; `buildRules({ timeScale: 60, latencyScale: 4 })` is the same rules with every window,
 * offset and `for` 60 times shorter and the latency thresholds 4 times lower (a demo agent run with
 * --speed 4), for the end-to-end test.
 */
import type { Severity } from "../config.js";
import { canaryRules } from "./canary.js";
import { ruleContext } from "./context.js";
import { costRules } from "./cost.js";
import { healthRules } from "./health.js";
import { modelCallRules } from "./model-calls.js";
import { outcomeRules } from "./outcomes.js";
import { providerRules } from "./providers.js";
import { qualityRules } from "./quality.js";
import { runsRules } from "./runs.js";
import { sloRules } from "./slo.js";
import { symptomRules } from "./symptom.js";
import type { RuleOptions, Rules } from "./types.js";

export { dashboardUrl, runbookUrl } from "./context.js";
export type { AlertRule, RecordingRule, RuleGroup, RuleOptions, Rules } from "./types.js";

/** Builds the rule groups, in the order of the rule files. */
export function buildRules(options: RuleOptions = {}): Rules {
  const c = ruleContext(options);
  const cost = costRules(c);
  const quality = qualityRules(c);
  const slo = sloRules(c);
  const outcomes = outcomeRules(c);
  const providers = providerRules(c);
  return {
    recording: [runsRules(c), modelCallRules(c), providers.recording, cost.recording, quality.recording, outcomes.recording, slo.recording],
    alerting: [
      slo.alerting,
      symptomRules(c),
      providers.alerting,
      cost.alerting,
      quality.alerting,
      canaryRules(c),
      outcomes.alerting,
      healthRules(c),
    ],
  };
}

/** The names of every alert, with the severities each one can have. */
export function alertNames(rules: Rules): Map<string, Set<Severity>> {
  const names = new Map<string, Set<Severity>>();
  for (const r of rules.alerting.flatMap((g) => g.rules)) {
    const set = names.get(r.alert) ?? new Set<Severity>();
    set.add(r.labels.severity);
    names.set(r.alert, set);
  }
  return names;
}
