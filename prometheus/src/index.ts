export { compressAlertmanagerConfig, receiverForSeverity } from "./alertmanager.js";
export * from "./config.js";
export { formatDuration, parseDuration, Timing } from "./duration.js";
export { generatedFiles, INCIDENTS_DOC, incidentsDocText, PROMETHEUS_DIR, RULE_FILES, ruleFileTexts } from "./generate.js";
export { type AlertBlock, alertBlocks, renderAlertBlock, renderAlertBlocks } from "./incidents-doc.js";
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
