/** Agent quality and safety: are answers still good (evaluations, feedback), what do the guardrails catch, and did a prompt or model change underneath? */
import type * as dashboard from "@grafana/grafana-foundation-sdk/dashboard";

import { addLinks, agentVariable, ANNOTATION, datasourceVariable, finish, modelVariable, promptVersionVariable, TITLE } from "../common.js";
import { Board, histogramHeatmap, instantTable, singleStat, stateTimeline, timeSeries } from "../panels.js";
import { CANARY_METRIC, F, increase, mean, METRIC, quantile, rate, sel, share, sumBy } from "../promql.js";

const EVAL = [F.agent, F.promptVersion];
const FEEDBACK = [F.agent, F.promptVersion];
/** Evaluations and feedback are sparse: a 15-minute window keeps their averages steady. */
const SPARSE = "15m";
/** Canary metrics carry `agent` (the agent probed) and `canary` (a case id of a small configured set): both bounded. */
const CANARY = [F.agent];

/**
 * The canary alert thresholds the panels draw (prometheus/src/config.ts THRESHOLDS; a test keeps
 * them equal): AgentCanaryFailing at `failing` checks in a row, AgentCanaryStale past
 * `staleIntervals` expected gaps without a pass.
 */
export const CANARY_ALERTS = { failing: 2, staleIntervals: 3 } as const;

export function qualityDashboard(): dashboard.Dashboard {
  const board = new Board(
    "quality",
    TITLE.quality,
    "Answer quality and safety: online evaluation scores and user feedback by prompt version, guardrail outcomes, prompt versions and template hashes over time, the model and fingerprint that answered, and output length. Annotations mark prompt and model changes.",
    ["quality", "safety"],
  );
  board.builder
    .withVariable(datasourceVariable())
    .withVariable(agentVariable())
    .withVariable(modelVariable())
    .withVariable(promptVersionVariable())
    .annotation(ANNOTATION.promptChanges())
    .annotation(ANNOTATION.modelChanges())
    .annotation(ANNOTATION.incidents());
  addLinks(board, "quality");

  board.row("Evaluations").add(
    timeSeries({
      title: "Mean evaluation score by prompt version",
      description: `Mean online evaluation score (0 to 1) over ${SPARSE} windows, by evaluator, what was evaluated (name) and prompt version: a new prompt version that scores lower is a regression.`,
      unit: "none",
      decimals: 2,
      w: 10,
      min: 0,
      max: 1,
      queries: [
        {
          expr: mean(METRIC.evalScore, EVAL, ["evaluator", "name", "prompt_version"], SPARSE),
          legend: "{{evaluator}} {{name}} {{prompt_version}}",
        },
      ],
    }),
    histogramHeatmap({
      title: "Evaluation score distribution",
      description: "Evaluations per second in each score bucket (0 to 1).",
      unit: "none",
      w: 8,
      queries: [{ expr: sumBy(["le"], rate(`${METRIC.evalScore}_bucket`, EVAL, SPARSE)) }],
    }),
    singleStat({
      title: "Mean score in the time range",
      description: "Mean evaluation score of each prompt version over the dashboard's time range.",
      unit: "none",
      decimals: 2,
      w: 3,
      h: 8,
      baseColor: "red",
      thresholds: [
        { value: 0.3, color: "orange" },
        { value: 0.5, color: "green" },
      ],
      queries: [
        {
          expr: `${sumBy(["prompt_version"], increase(`${METRIC.evalScore}_sum`, EVAL))} / ${sumBy(["prompt_version"], increase(`${METRIC.evalScore}_count`, EVAL))}`,
          legend: "{{prompt_version}}",
          instant: true,
        },
      ],
    }),
    singleStat({
      title: "Evaluations dropped or failed",
      description:
        "Online evaluations in the time range dropped because the queue was full, or failed (the evaluator threw or returned no valid score; runs an evaluator skips on purpose are counted apart, in agentwatch_eval_skipped_total).",
      unit: "short",
      decimals: 0,
      w: 3,
      h: 8,
      thresholds: [{ value: 1, color: "orange" }],
      queries: [
        { expr: `${sumBy([], increase(METRIC.evalDropped, []))} or vector(0)`, legend: "dropped", instant: true },
        { expr: `${sumBy([], increase(METRIC.evalErrors, []))} or vector(0)`, legend: "failed", instant: true },
      ],
    }),
  );

  board.row("Offline evaluation (CI)").add(
    timeSeries({
      title: "Offline vs online score by prompt version",
      description:
        "Offline: the mean score of each prompt version over the golden dataset, as the CI evaluation run pushed it (agentwatch_offline_eval_score, via the Pushgateway). Online: the mean score of sampled production runs. A version whose online score falls below its offline score meets traffic the dataset does not cover.",
      unit: "none",
      decimals: 2,
      w: 14,
      min: 0,
      max: 1,
      queries: [
        {
          expr: `max by (dataset, prompt, version, evaluator) (${METRIC.offlineEvalScore}${sel(F.version)})`,
          legend: "offline {{evaluator}} {{prompt}}@{{version}} ({{dataset}})",
        },
        { expr: mean(METRIC.evalScore, EVAL, ["evaluator", "prompt_version"], SPARSE), legend: "online {{evaluator}} {{prompt_version}}" },
      ],
    }),
    instantTable({
      title: "Offline and online score per prompt version",
      description:
        "Per evaluator and prompt version: the offline score of its last CI run, the online mean score over the time range, and whether its quality gate passed (1) or failed (0).",
      unit: "none",
      decimals: 2,
      w: 10,
      queries: [
        { expr: `max by (evaluator, version) (${METRIC.offlineEvalScore}${sel(F.version)})`, legend: "offline" },
        {
          expr: `label_replace(${sumBy(["evaluator", "prompt_version"], increase(`${METRIC.evalScore}_sum`, EVAL))} / ${sumBy(["evaluator", "prompt_version"], increase(`${METRIC.evalScore}_count`, EVAL))}, "version", "$1", "prompt_version", "(.*)")`,
          legend: "online",
        },
      ],
      hide: ["prompt_version"],
    }),
  );

  board.row("User feedback").add(
    timeSeries({
      title: "Positive feedback share by prompt version",
      description: `Share of thumbs-up among user feedback over ${SPARSE} windows, by prompt version.`,
      unit: "percentunit",
      w: 10,
      min: 0,
      max: 1,
      queries: [
        {
          expr: share(
            sumBy(["prompt_version"], rate(METRIC.feedback, [...FEEDBACK, 'rating="positive"'], SPARSE)),
            sumBy(["prompt_version"], rate(METRIC.feedback, FEEDBACK, SPARSE)),
          ),
          legend: "{{prompt_version}}",
        },
      ],
    }),
    timeSeries({
      title: "Feedback per minute by rating",
      description: "User feedback received per minute, positive and negative.",
      unit: "cpm",
      w: 8,
      stack: true,
      queries: [{ expr: `${sumBy(["rating"], rate(METRIC.feedback, FEEDBACK))} * 60`, legend: "{{rating}}" }],
    }),
    singleStat({
      title: "Positive feedback in the time range",
      description: "Share of thumbs-up among all feedback in the dashboard's time range.",
      unit: "percentunit",
      decimals: 1,
      w: 6,
      h: 8,
      baseColor: "red",
      thresholds: [
        { value: 0.5, color: "orange" },
        { value: 0.75, color: "green" },
      ],
      queries: [
        {
          expr: share(
            sumBy([], increase(METRIC.feedback, [...FEEDBACK, 'rating="positive"'])),
            sumBy([], increase(METRIC.feedback, FEEDBACK)),
          ),
          instant: true,
        },
      ],
    }),
    timeSeries({
      title: "Feedback per answered run",
      description: `Feedback received per finished agent run over ${SPARSE} windows, by agent: how many users rate at all, the denominator the positive share is read against. Feedback reaches its run's agent on any replica through the answer's feedback token.`,
      unit: "percentunit",
      w: 24,
      min: 0,
      queries: [
        {
          expr: `${sumBy(["agent"], rate(METRIC.feedback, [F.agent], SPARSE))} / (${sumBy(["agent"], `label_replace(${rate(`${METRIC.runs}_count`, [F.genAiAgent], SPARSE)}, "agent", "$1", "gen_ai_agent_name", "(.*)")`)} > 0)`,
          legend: "{{agent}}",
        },
      ],
    }),
  );

  board.row("Business").add(
    timeSeries({
      title: "Conversation outcomes per minute",
      description:
        "Conversations whose outcome was decided, per minute, by outcome: resolved and converted (the task was done), escalated (a tool marked as escalation ran), abandoned (idle past the abandonment time), and configured names. Each conversation is counted once.",
      unit: "cpm",
      w: 8,
      stack: true,
      queries: [{ expr: `${sumBy(["outcome"], rate(METRIC.conversationOutcomes, [F.agent], SPARSE))} * 60`, legend: "{{outcome}}" }],
    }),
    timeSeries({
      title: "Task completion share vs its 7-day average",
      description:
        "Share of conversations that ended resolved or converted over the last hour, by agent, next to its average over 7 days (the AgentTaskCompletionLow baseline).",
      unit: "percentunit",
      w: 8,
      min: 0,
      max: 1,
      queries: [
        {
          expr: share(
            sumBy(["agent"], rate(METRIC.conversationOutcomes, [F.agent, 'outcome=~"resolved|converted"'], "1h")),
            sumBy(["agent"], rate(METRIC.conversationOutcomes, [F.agent], "1h")),
          ),
          legend: "{{agent}} last 1h",
        },
        {
          expr: `avg_over_time(agent:agentwatch_conversations_completed_per_outcomes:ratio_rate1h${sel(F.agent)}[7d])`,
          legend: "{{agent}} 7-day average",
        },
      ],
    }),
    timeSeries({
      title: "Turns per conversation by outcome",
      description: `Mean turns (root agent runs) of the conversations decided over ${SPARSE} windows, by outcome: long abandoned conversations are users who tried and gave up.`,
      unit: "short",
      decimals: 1,
      w: 8,
      min: 0,
      queries: [{ expr: mean(METRIC.conversationTurns, [F.agent], ["outcome"], SPARSE), legend: "{{outcome}}" }],
    }),
  );

  board.row("Guardrails").add(
    timeSeries({
      title: "Guardrail checks by outcome",
      description: "Guardrail checks per second by guardrail, stage (input / output) and outcome (pass / flag / block).",
      unit: "cps",
      w: 8,
      stack: true,
      queries: [
        {
          expr: sumBy(["guardrail", "stage", "outcome"], rate(METRIC.guardrailChecks, [])),
          legend: "{{guardrail}} {{stage}} {{outcome}}",
        },
      ],
    }),
    timeSeries({
      title: "Guardrail block and flag ratio",
      description: "Share of checks that blocked or flagged, by guardrail and stage: a jailbreak wave raises the input block ratio.",
      unit: "percentunit",
      w: 8,
      min: 0,
      queries: ["block", "flag"].map((outcome) => ({
        expr: share(
          sumBy(["guardrail", "stage"], rate(METRIC.guardrailChecks, [`outcome="${outcome}"`])),
          sumBy(["guardrail", "stage"], rate(METRIC.guardrailChecks, [])),
        ),
        legend: `{{guardrail}} {{stage}} ${outcome}`,
      })),
    }),
    instantTable({
      title: "Guardrail outcomes in the time range",
      description: "Checks in the time range by guardrail, stage and outcome.",
      unit: "short",
      w: 8,
      valueName: "checks",
      sortBy: "checks",
      queries: [{ expr: sumBy(["guardrail", "stage", "outcome"], increase(METRIC.guardrailChecks, [])) }],
    }),
  );

  board.row("Prompts").add(
    stateTimeline({
      title: "Prompt versions and template hashes live",
      description:
        "When each (prompt, version, template hash) was in use (agentwatch_prompt_info: live for 15 minutes after its last use). Two lanes for one version: the template was edited without a version bump.",
      unit: "none",
      w: 16,
      states: { "1": { text: "live", color: "blue" } },
      queries: [
        { expr: `max by (prompt, version, hash) (${METRIC.promptInfo}${sel(F.version)})`, legend: "{{prompt}} {{version}} #{{hash}}" },
      ],
    }),
    instantTable({
      title: "Template hashes per prompt version",
      description:
        "Live template hashes of each prompt version: more than 1 means someone changed the template and kept the version label.",
      unit: "short",
      w: 8,
      valueName: "template hashes",
      thresholds: [{ value: 2, color: "red" }],
      queries: [{ expr: `count by (prompt, version) (${METRIC.promptInfo}${sel(F.version)})` }],
    }),
  );

  board.row("Canaries").add(
    timeSeries({
      title: "Canary pass share by canary",
      description: `Share of canary checks that passed over ${SPARSE} windows, by agent and canary case: known-answer questions asked on a schedule, independent of traffic, sampling and feedback. A drop with no deploy is the provider changing behaviour (compare the response models and fingerprints below).`,
      unit: "percentunit",
      w: 8,
      min: 0,
      max: 1,
      queries: [
        {
          expr: share(
            sumBy(["agent", "canary"], rate(CANARY_METRIC.checks, [...CANARY, 'outcome="pass"'], SPARSE)),
            sumBy(["agent", "canary"], rate(CANARY_METRIC.checks, CANARY, SPARSE)),
          ),
          legend: "{{agent}} {{canary}}",
        },
      ],
    }),
    timeSeries({
      title: "Canary checks per minute by outcome",
      description: `Canary checks finished per minute over ${SPARSE} windows, by outcome: pass, fail (a wrong answer: a fact or pattern missing, or a forbidden text) and error (no answer: the agent threw or timed out).`,
      unit: "cpm",
      w: 8,
      stack: true,
      queries: [{ expr: `${sumBy(["outcome"], rate(CANARY_METRIC.checks, CANARY, SPARSE))} * 60`, legend: "{{outcome}}" }],
    }),
    instantTable({
      title: "Canary checks in the time range",
      description: "Canary checks in the dashboard's time range by agent, canary case and outcome.",
      unit: "short",
      decimals: 0,
      w: 8,
      valueName: "checks",
      sortBy: "checks",
      queries: [{ expr: sumBy(["agent", "canary", "outcome"], increase(CANARY_METRIC.checks, CANARY)) }],
    }),
    timeSeries({
      title: "Time since the last canary pass",
      description: `Seconds since each canary case last passed, on the replica whose last pass is oldest, next to ${CANARY_ALERTS.staleIntervals} times the expected gap between two checks (interval, jitter and timeouts): past it while not failing, AgentCanaryStale fires (its checks do not finish). A case that never passed has no line.`,
      unit: "s",
      w: 12,
      min: 0,
      queries: [
        { expr: `time() - min by (agent, canary) (${CANARY_METRIC.lastSuccess}${sel(...CANARY)})`, legend: "{{agent}} {{canary}}" },
        {
          expr: `${CANARY_ALERTS.staleIntervals} * max by (agent) (${CANARY_METRIC.interval}${sel(...CANARY)})`,
          legend: "{{agent}} stale threshold",
        },
      ],
    }),
    timeSeries({
      title: "Canary consecutive failures",
      description: `Checks in a row each canary case did not pass (fail or error), on its worst replica; 0 after a pass. At ${CANARY_ALERTS.failing} (the dashed line) AgentCanaryFailing pages.`,
      unit: "short",
      decimals: 0,
      w: 12,
      min: 0,
      thresholdLines: true,
      thresholds: [{ value: CANARY_ALERTS.failing, color: "red" }],
      queries: [{ expr: `max by (agent, canary) (${CANARY_METRIC.consecutiveFailures}${sel(...CANARY)})`, legend: "{{agent}} {{canary}}" }],
    }),
  );

  board.row("Model behaviour").add(
    timeSeries({
      title: "Responses by response model and fingerprint",
      description:
        "Model responses per second by requested model, the model that actually answered and its system fingerprint: a new line for the same requested model is a silent model update.",
      unit: "reqps",
      w: 8,
      stack: true,
      queries: [
        {
          expr: sumBy(["request_model", "response_model", "fingerprint"], rate(METRIC.modelResponses, [F.requestModel])),
          legend: "{{request_model}} → {{response_model}} {{fingerprint}}",
        },
      ],
    }),
    instantTable({
      title: "Response models and fingerprints in the time range",
      description: "Responses in the time range by provider, requested model, response model and fingerprint.",
      unit: "short",
      w: 8,
      valueName: "responses",
      sortBy: "responses",
      queries: [
        { expr: sumBy(["provider", "request_model", "response_model", "fingerprint"], increase(METRIC.modelResponses, [F.requestModel])) },
      ],
    }),
    timeSeries({
      title: "Output length",
      description: "p50 and p95 characters of model text output, by model: a shift after a prompt or model change shows here first.",
      unit: "suffix: chars",
      w: 8,
      queries: [0.5, 0.95].map((q) => ({
        expr: quantile(q, METRIC.responseLength, [F.agent, F.model], ["model"]),
        legend: `{{model}} p${Math.round(q * 100)}`,
      })),
    }),
    histogramHeatmap({
      title: "Output length distribution",
      description: "Model responses per second in each length bucket (characters).",
      unit: "suffix: chars",
      w: 12,
      queries: [{ expr: sumBy(["le"], rate(`${METRIC.responseLength}_bucket`, [F.agent, F.model])) }],
    }),
    timeSeries({
      title: "Mean output length by model",
      description: `Mean characters of model text output over ${SPARSE} windows, by model.`,
      unit: "suffix: chars",
      w: 12,
      queries: [{ expr: mean(METRIC.responseLength, [F.agent, F.model], ["model"], SPARSE), legend: "{{model}}" }],
    }),
  );

  return finish(board);
}
