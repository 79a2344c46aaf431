/**
 * Quality: guardrails, evaluation scores, user feedback, prompt and model changes, response length,
 * retrieval, and tool loops and run guards.
 */
import { BASELINE_OFFSET, DASHBOARD, SEVERITY, THRESHOLDS as T } from "../config.js";
import { le, num, ratio, shortLabels, sumBy } from "../promql.js";
import { recentIncrease, type RuleContext } from "./context.js";
import type { AlertRule, AreaRules, RecordingRule } from "./types.js";

/** The `agentwatch-quality` recording rules and the `agentwatch-quality-alerts`. */
export function qualityRules(c: RuleContext): AreaRules {
  const { d, w, baseline, alert } = c;
  const gw = T.guardrailBlock.window;
  const guardrailChecks = (matchers: string) =>
    sumBy(["guardrail", "stage"], `rate(agentwatch_guardrail_checks_total${matchers}[${d(gw)}])`);
  const ew = T.evalScore.window;
  const evalAvg = (by: string[]) =>
    `${sumBy(by, `rate(agentwatch_eval_score_sum[${d(ew)}])`)} / (${sumBy(by, `rate(agentwatch_eval_score_count[${d(ew)}])`)} > 0)`;
  const fw = T.negativeFeedback.window;
  const feedback = (matchers: string) => sumBy(["agent"], `rate(agentwatch_user_feedback_total${matchers}[${d(fw)}])`);
  const lw = T.responseLength.window;
  const driftP = (matchers: string) => `max by (agent, signal) (agentwatch_drift_p_value{${matchers}})`;
  const rw = T.retrievalEmpty.window;
  const retrievals = (series: string, fn: "rate" | "increase" = "rate") =>
    sumBy(["agent", "data_source"], shortLabels(`${fn}(${series}[${d(rw)}])`, ["gen_ai_data_source_id"]));
  const qualityRecording: RecordingRule[] = [
    {
      record: `guardrail_stage:agentwatch_guardrail_blocks_per_checks:ratio_rate${w(gw)}`,
      expr: ratio(guardrailChecks(`{outcome="block"}`), guardrailChecks("")),
    },
    // By what was evaluated too (`name`): two criteria of one evaluator are two series.
    { record: `agent_evaluator_name:agentwatch_eval_score:avg_rate${w(ew)}`, expr: evalAvg(["agent", "evaluator", "name"]) },
    { record: `agent_prompt_version:agentwatch_eval_score:avg_rate${w(ew)}`, expr: evalAvg(["agent", "prompt_version"]) },
    {
      record: `agent:agentwatch_user_feedback_negative_per_feedback:ratio_rate${w(fw)}`,
      expr: ratio(feedback(`{rating="negative"}`), feedback("")),
    },
    // The feedback rate: feedback per answered run, so "negative share" is read against how many rate at all.
    { record: `agent:agentwatch_user_feedback_per_run:ratio_rate${w(fw)}`, expr: ratio(feedback(""), c.runs(fw)) },
    {
      record: `agent_model:agentwatch_response_length_chars:avg_rate${w(lw)}`,
      expr: `${sumBy(["agent", "model"], `rate(agentwatch_response_length_chars_sum[${d(lw)}])`)} / (${sumBy(["agent", "model"], `rate(agentwatch_response_length_chars_count[${d(lw)}])`)} > 0)`,
    },
    {
      record: `agent_data_source:agentwatch_retrieval_empty_per_retrievals:ratio_rate${w(rw)}`,
      expr: ratio(retrievals(`agentwatch_retrieval_documents_bucket{le="0"}`), retrievals("agentwatch_retrieval_documents_count")),
    },
    {
      record: `agent_data_source:agentwatch_retrieval_low_score_per_retrievals:ratio_rate${w(rw)}`,
      expr: ratio(
        retrievals(`agentwatch_retrieval_top_score_bucket{le="${le(T.retrievalLowScore.score)}"}`),
        retrievals("agentwatch_retrieval_top_score_count"),
      ),
    },
  ];

  const guardrailRatio = `guardrail_stage:agentwatch_guardrail_blocks_per_checks:ratio_rate${w(gw)}`;
  const evalAvgRecord = `agent_evaluator_name:agentwatch_eval_score:avg_rate${w(ew)}`;
  const negative = `agent:agentwatch_user_feedback_negative_per_feedback:ratio_rate${w(fw)}`;
  const lengthAvg = `agent_model:agentwatch_response_length_chars:avg_rate${w(lw)}`;
  const lengthRatio = `(${lengthAvg} / ${baseline(lengthAvg, T.responseLength.baseline)})`;
  const promptHistory = `max_over_time(agentwatch_prompt_info[${d(T.promptHash.history)}] offset ${d(BASELINE_OFFSET)})`;
  const modelLabels = "provider, request_model, response_model, fingerprint";
  const modelHistory = `max_over_time(agentwatch_model_responses_total[${d(T.modelFingerprint.history)}] offset ${d(BASELINE_OFFSET)})`;
  const qualityAlerts: AlertRule[] = [
    alert({
      alert: "AgentToolLoop",
      expr: recentIncrease("agentwatch_tool_repeats_total", ["agent", "tool"], d(T.toolLoop.window), `>= ${num(T.toolLoop.repeats)}`),
      for: T.toolLoop.for,
      severity: SEVERITY.warning,
      summary: "An agent calls the same tool with the same arguments again and again",
      description: `{{ $labels.agent }}: {{ $value | humanize }} repeated calls of tool {{ $labels.tool }} (same arguments, same run) in the last ${d(T.toolLoop.window)}.`,
      dashboard: DASHBOARD.internals,
    }),
    alert({
      alert: "AgentRunGuardTripped",
      expr: recentIncrease("agentwatch_guard_trips_total", ["agent", "guard"], d(T.guardTrips.window), "> 0"),
      for: T.guardTrips.for,
      severity: SEVERITY.warning,
      summary: "Agent runs hit a run guard (cost, tokens, calls or repeated tool calls)",
      description: `{{ $labels.agent }}: the {{ $labels.guard }} guard tripped in {{ $value | humanize }} runs in the last ${d(T.guardTrips.window)}.`,
      dashboard: DASHBOARD.internals,
    }),
    alert({
      alert: "AgentGuardrailBlockRatioHigh",
      expr: `${guardrailRatio} > ${num(T.guardrailBlock.floorRatio)}\nand\n${guardrailRatio} > ${num(T.guardrailBlock.multiplier)} * ${baseline(guardrailRatio, T.guardrailBlock.baseline)}`,
      for: T.guardrailBlock.for,
      severity: SEVERITY.warning,
      summary: "A guardrail blocks far more messages than usual",
      description: `Guardrail {{ $labels.guardrail }} ({{ $labels.stage }}) blocked {{ $value | humanizePercentage }} of checks over the last ${d(gw)}: above ${num(T.guardrailBlock.floorRatio * 100)}% and more than ${num(T.guardrailBlock.multiplier)}x its ${d(T.guardrailBlock.baseline)} average.`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentHarmfulOutputBlocked",
      expr: recentIncrease(
        `agentwatch_guardrail_checks_total{stage="output",outcome="block"}`,
        ["guardrail", "stage"],
        d(T.outputBlock.window),
        "> 0",
      ),
      for: T.outputBlock.for,
      severity: SEVERITY.critical,
      summary: "An output guardrail stopped an answer: the model wrote something that must never reach a user",
      description: `Guardrail {{ $labels.guardrail }} blocked {{ $value | humanize }} answer(s) at the output stage in the last ${d(T.outputBlock.window)}: the model produced content that must never reach a user; find what made it and whether any got past.`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentEvalScoreDrop",
      expr: `${evalAvgRecord} < ${num(1 - T.evalScore.drop)} * ${baseline(evalAvgRecord, T.evalScore.baseline)}\nand on (agent, evaluator, name)\n${sumBy(["agent", "evaluator", "name"], `increase(agentwatch_eval_score_count[${d(ew)}])`)} >= ${num(T.evalScore.minEvaluations)}`,
      for: T.evalScore.for,
      severity: SEVERITY.warning,
      summary: "Evaluation scores dropped more than 10% below their 7-day average",
      description: `{{ $labels.agent }}: mean {{ $labels.evaluator }}{{ if and $labels.name (ne $labels.name $labels.evaluator) }} ({{ $labels.name }}){{ end }} score is {{ $value | printf "%.2f" }} over the last ${d(ew)}, more than ${num(T.evalScore.drop * 100)}% below its ${d(T.evalScore.baseline)} average.`,
      dashboard: DASHBOARD.quality,
    }),
    alert({
      alert: "AgentNegativeFeedbackHigh",
      expr: `${negative} > ${num(T.negativeFeedback.floorRatio)}\nand\n${negative} > ${num(T.negativeFeedback.multiplier)} * ${baseline(negative, T.negativeFeedback.baseline)}\nand on (agent)\n${sumBy(["agent"], `increase(agentwatch_user_feedback_total[${d(fw)}])`)} >= ${num(T.negativeFeedback.minFeedback)}`,
      for: T.negativeFeedback.for,
      severity: SEVERITY.warning,
      summary: "Users give far more negative feedback than usual",
      description: `{{ $labels.agent }}: {{ $value | humanizePercentage }} of user feedback was negative over the last ${d(fw)}, more than ${num(T.negativeFeedback.multiplier)}x its ${d(T.negativeFeedback.baseline)} average.`,
      dashboard: DASHBOARD.quality,
    }),
    alert({
      alert: "AgentPromptVersionsLive",
      expr: `count by (prompt) (group by (prompt, version) (agentwatch_prompt_info)) > 1`,
      for: T.promptVersions.for,
      severity: SEVERITY.info,
      summary: "Several versions of one prompt are in use",
      description: `Prompt {{ $labels.prompt }}: {{ $value }} versions in use within the last 15 minutes (a rollout in progress, or one that did not finish).`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentPromptHashChanged",
      expr:
        `count by (prompt, version) (group by (prompt, version, hash) (agentwatch_prompt_info)) > 1\nor\n` +
        `count by (prompt, version) (group by (prompt, version, hash) (agentwatch_prompt_info) unless on (prompt, version, hash) ${promptHistory})\n` +
        `and on (prompt, version) group by (prompt, version) (${promptHistory})`,
      for: T.promptHash.for,
      severity: SEVERITY.warning,
      summary: "A prompt template changed without a new version",
      description: `Prompt {{ $labels.prompt }} version {{ $labels.version }}: {{ $value }} template hash(es) new or live side by side under one version label: the template was edited without a version bump.`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentModelFingerprintChanged",
      expr:
        `group by (${modelLabels}) (agentwatch_model_responses_total)\n` +
        `unless on (${modelLabels}) ${modelHistory}\n` +
        `and on (provider, request_model) group by (provider, request_model) (${modelHistory})`,
      for: T.modelFingerprint.for,
      severity: SEVERITY.warning,
      summary: "The provider answers a requested model with a new model snapshot or fingerprint",
      description: `{{ $labels.provider }}/{{ $labels.request_model }} is now answered by {{ $labels.response_model }} with fingerprint {{ $labels.fingerprint }}, not seen in the ${d(T.modelFingerprint.history)} before.`,
      dashboard: DASHBOARD.quality,
      vars: [],
    }),
    alert({
      alert: "AgentResponseLengthShift",
      expr: `(${lengthRatio} < ${num(1 / T.responseLength.factor)} or ${lengthRatio} > ${num(T.responseLength.factor)})\nand on (agent, model)\n${sumBy(["agent", "model"], `increase(agentwatch_response_length_chars_count[${d(lw)}])`)} >= ${num(T.responseLength.minResponses)}`,
      for: T.responseLength.for,
      severity: SEVERITY.info,
      summary: "The length of model answers shifted",
      description: `{{ $labels.agent }} on {{ $labels.model }}: mean response length over the last ${d(lw)} is {{ $value | printf "%.2f" }} times its ${d(T.responseLength.baseline)} average.`,
      dashboard: DASHBOARD.quality,
      vars: ["agent", "model"],
    }),
    alert({
      alert: "AgentInputDrift",
      expr: `${driftP(`signal="query_embedding"`)} < ${num(T.drift.pValue)}`,
      for: T.drift.for,
      severity: SEVERITY.warning,
      summary: "Users ask about different things than in the reference window",
      description: `{{ $labels.agent }}: the query embeddings of the current window differ from the reference (MMD permutation p-value {{ $value | printf "%.4f" }} < ${num(T.drift.pValue)}).`,
      dashboard: DASHBOARD.quality,
      vars: ["agent"],
    }),
    alert({
      alert: "AgentOutputDrift",
      expr: `${driftP(`signal=~"answer_length|output_tokens|finish_length|finish_content_filter|refusal"`)} < ${num(T.drift.pValue)}`,
      for: T.drift.for,
      severity: SEVERITY.warning,
      summary: "The agent's answers differ from the reference window",
      description: `{{ $labels.agent }}: {{ $labels.signal }} of the current window differs from the reference (p-value {{ $value | printf "%.4f" }} < ${num(T.drift.pValue)}).`,
      dashboard: DASHBOARD.quality,
      vars: ["agent"],
    }),
    alert({
      alert: "AgentRetrievalNoDocuments",
      expr: `agent_data_source:agentwatch_retrieval_empty_per_retrievals:ratio_rate${w(rw)} > ${num(T.retrievalEmpty.ratio)}\nand on (agent, data_source)\n${retrievals("agentwatch_retrieval_documents_count", "increase")} >= ${num(T.retrievalEmpty.minRetrievals)}`,
      for: T.retrievalEmpty.for,
      severity: SEVERITY.warning,
      summary: "Retrieval returns no documents",
      description: `{{ $labels.agent }}: {{ $value | humanizePercentage }} of retrievals from {{ $labels.data_source }} returned no document over the last ${d(rw)}.`,
      dashboard: DASHBOARD.internals,
    }),
    alert({
      alert: "AgentRetrievalLowScore",
      expr: `agent_data_source:agentwatch_retrieval_low_score_per_retrievals:ratio_rate${w(rw)} > ${num(T.retrievalLowScore.ratio)}\nand on (agent, data_source)\n${retrievals("agentwatch_retrieval_top_score_count", "increase")} >= ${num(T.retrievalLowScore.minRetrievals)}`,
      for: T.retrievalLowScore.for,
      severity: SEVERITY.warning,
      summary: "Retrieved documents barely match the questions",
      description: `{{ $labels.agent }}: in {{ $value | humanizePercentage }} of retrievals from {{ $labels.data_source }} the best document scored ${num(T.retrievalLowScore.score)} or less over the last ${d(rw)}.`,
      dashboard: DASHBOARD.internals,
    }),
  ];

  return {
    recording: { name: "agentwatch-quality", rules: qualityRecording },
    alerting: { name: "agentwatch-quality-alerts", rules: qualityAlerts },
  };
}
