// Reports of a run: JUnit XML, Markdown, JSON, and the Pushgateway push.

export { caseFailure, describeFailure } from "./case-failures.js";
export { type JsonReport, jsonReport } from "./json.js";
export { junitXml } from "./junit.js";
export { markdownReport } from "./markdown.js";
export { offlineEvalGrouping, offlineEvalRegistry, pushResults } from "./pushgateway.js";
