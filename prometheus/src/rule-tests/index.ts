/**
 * promtool unit tests of the generated rules (`promtool test rules prometheus/tests/*.yml`): for
 * every alert, input series where it fires, with its labels and annotations asserted, next to
 * series just on the quiet side of its threshold, window or `for` (promtool's expected alerts are
 * exact, so any extra alert fails the test). Long windows (7 d baselines, the 3 d burn window) are
 * in the file evaluated every hour, with samples every 15 or 5 minutes. One module per area, as
 * the rules are.
 */
import { canaryTests } from "./canary.js";
import { cancellationTests } from "./cancellation.js";
import { costTests } from "./cost.js";
import { healthTests } from "./health.js";
import { outcomeTests } from "./outcomes.js";
import { providerTests } from "./providers.js";
import { qualityTests } from "./quality.js";
import { sloTests } from "./slo.js";
import { symptomTests } from "./symptom.js";
import type { RuleTestFile } from "./types.js";

export { promtoolTestFile, renderLabels, ruleFor } from "./render.js";
export type { AlertCheck, AreaTests, Expectation, ExprCheck, RuleTestFile, RuleTestGroup } from "./types.js";

/** The areas, in the order of their tests in each file. */
const AREAS = [sloTests, symptomTests, providerTests, cancellationTests, costTests, qualityTests, canaryTests, outcomeTests, healthTests];

/** The promtool test files, by name. */
export const RULE_TEST_FILES: readonly RuleTestFile[] = [
  { file: "alerts-short.test.yml", evaluationInterval: "1m", groups: AREAS.flatMap((a) => a.short) },
  { file: "alerts-long.test.yml", evaluationInterval: "1h", groups: AREAS.flatMap((a) => a.long) },
];
