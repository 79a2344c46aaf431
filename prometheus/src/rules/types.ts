/** The shapes of the generated rules (as Prometheus reads them) and the options of `buildRules`. */
import type { Severity } from "../config.js";

export interface RecordingRule {
  record: string;
  expr: string;
  labels?: Record<string, string>;
}

export interface AlertRule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: Severity } & Record<string, string>;
  annotations: { summary: string; description: string; runbook_url: string; dashboard_url?: string };
}

export interface RuleGroup<R> {
  name: string;
  rules: R[];
}

export interface Rules {
  recording: RuleGroup<RecordingRule>[];
  alerting: RuleGroup<AlertRule>[];
}

export interface RuleOptions {
  /** Divides every window, offset and `for` (60 makes an hour a minute). Default 1: production. */
  timeScale?: number;
  /** Divides the latency and time-to-first-token thresholds (a demo agent run with `--speed N`). Default 1. */
  latencyScale?: number;
}

/** An area's recording rule group and alert group. */
export interface AreaRules {
  recording: RuleGroup<RecordingRule>;
  alerting: RuleGroup<AlertRule>;
}
