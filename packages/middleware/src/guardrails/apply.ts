import { dispatchCustomEvent } from "@langchain/core/callbacks/dispatch";
import { AIMessage, type BaseMessage } from "@langchain/core/messages";
import { type RunnableConfig, RunnableLambda } from "@langchain/core/runnables";
import { diag } from "@opentelemetry/api";

import { nowMs } from "../util/clock.js";
import { GuardrailBlockedError } from "./blocked-error.js";
import type {
  Guardrail,
  GuardrailBlockAction,
  GuardrailOutcome,
  GuardrailRecord,
  GuardrailResult,
  GuardrailStage,
  GuardrailVerdict,
} from "./types.js";

/** The LangChain custom event name guardrail results travel under to the handler. */
export const GUARDRAIL_EVENT = "agentwatch.guardrail";

const RANK: Record<GuardrailOutcome, number> = { pass: 0, flag: 1, block: 2 };
const OUTCOMES = new Set<string>(["pass", "flag", "block"]);

/** Marks a message a guardrail wrote in place of blocked text. */
const BLOCKED_MARK = "agentwatch_guardrail_blocked";

function checkStage(stage: unknown): asserts stage is GuardrailStage {
  if (stage !== "input" && stage !== "output") {
    throw new TypeError(
      `agentwatch: stage must be "input" or "output", got ${JSON.stringify(stage)}; say which side of the model the text is on`,
    );
  }
}

/**
 * Runs `guardrails` on `text` one after the other and returns the worst outcome. Each result is
 * dispatched as a LangChain custom event, so an AgentWatchHandler in the run's callbacks records
 * it under the run that applied it. A guardrail that throws or answers nonsense blocks (fails closed).
 */
export async function applyGuardrails(
  text: string,
  options: { stage: GuardrailStage; guardrails: readonly Guardrail[] },
  config?: RunnableConfig,
): Promise<GuardrailVerdict> {
  checkStage(options.stage);
  const results: GuardrailVerdict["results"] = [];
  let outcome: GuardrailOutcome = "pass";
  for (const guardrail of options.guardrails) {
    let result: GuardrailResult;
    const startTime = nowMs();
    try {
      result = await guardrail.check(text);
      if (!OUTCOMES.has(result?.outcome)) throw new TypeError(`outcome ${JSON.stringify(result?.outcome)} is not pass, flag or block`);
    } catch (error) {
      diag.warn(`agentwatch: guardrail "${guardrail.name}" failed; blocking`, error);
      result = { outcome: "block", reason: "guardrail_error" };
    }
    const record: GuardrailRecord = { ...result, guardrail: guardrail.name, stage: options.stage, startTime, endTime: nowMs() };
    try {
      await dispatchCustomEvent(GUARDRAIL_EVENT, record, config);
    } catch {
      // Outside a LangChain run there is no one to tell; the verdict still stands.
    }
    results.push({ guardrail: guardrail.name, result });
    if (RANK[result.outcome] > RANK[outcome]) outcome = result.outcome;
  }
  return { outcome, results };
}

/**
 * A runnable (text in, text out) that applies guardrails: passes text through, or on a block
 * raises a {@link GuardrailBlockedError} or returns the replacement text.
 */
export function guardrailRunnable(options: { stage: GuardrailStage; guardrails: readonly Guardrail[]; onBlock?: GuardrailBlockAction }) {
  checkStage(options.stage);
  return RunnableLambda.from(async (text: string, config?: RunnableConfig) => {
    const verdict = await applyGuardrails(text, options, config);
    if (verdict.outcome !== "block") return text;
    const onBlock = options.onBlock ?? "raise";
    if (onBlock === "raise") throw new GuardrailBlockedError(options.stage, verdict);
    return onBlock.replaceWith;
  }).withConfig({ runName: `guardrails_${options.stage}` });
}

function textOf(message: BaseMessage | undefined): string {
  if (message === undefined) return "";
  return typeof message.content === "string"
    ? message.content
    : message.content.map((c) => ("text" in c && typeof c.text === "string" ? c.text : "")).join("");
}

/**
 * A LangGraph node over a `messages` state that applies guardrails to the last user message
 * (`stage: "input"`) or the last AI message (`stage: "output"`). On a block it raises, or adds
 * (input) / substitutes (output) an AI message with the replacement text; route on
 * {@link blockedByGuardrail} to end the run after an input block.
 */
export function guardrailNode(options: { stage: GuardrailStage; guardrails: readonly Guardrail[]; onBlock?: GuardrailBlockAction }) {
  checkStage(options.stage);
  const role = options.stage === "input" ? "human" : "ai";
  return async (state: { messages: BaseMessage[] }, config?: RunnableConfig): Promise<{ messages?: BaseMessage[] }> => {
    const target = [...state.messages].reverse().find((m) => m.getType() === role);
    const verdict = await applyGuardrails(textOf(target), options, config);
    if (verdict.outcome !== "block") return {};
    const onBlock = options.onBlock ?? "raise";
    if (onBlock === "raise") throw new GuardrailBlockedError(options.stage, verdict);
    const replacement = new AIMessage({
      content: onBlock.replaceWith,
      additional_kwargs: { [BLOCKED_MARK]: true },
      // An output block replaces the answer in place (same id); an input block answers instead of the agent.
      ...(options.stage === "output" && target?.id !== undefined ? { id: target.id } : {}),
    });
    return { messages: [replacement] };
  };
}

/** Whether the last message was written by a guardrail in place of blocked text (for conditional edges). */
export function blockedByGuardrail(state: { messages: BaseMessage[] }): boolean {
  return state.messages.at(-1)?.additional_kwargs?.[BLOCKED_MARK] === true;
}
