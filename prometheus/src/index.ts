export { compressAlertmanagerConfig, receiverForSeverity } from "./alertmanager.js";
export * from "./config.js";
export { formatDuration, parseDuration, Timing } from "./duration.js";
export { generatedFiles, PROMETHEUS_DIR, RULE_FILES, ruleFileTexts } from "./generate.js";
export { promtoolTestFile, RULE_TEST_FILES, ruleFor, renderLabels } from "./rule-tests/index.js";
export {
  type AlertRule,
  alertNames,
  buildRules,
  dashboardUrl,
  type RecordingRule,
  type RuleGroup,
  type RuleOptions,
  type Rules,
  runbookUrl,
} from "./rules/index.js";
