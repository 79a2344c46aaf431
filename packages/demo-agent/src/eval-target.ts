// The Acme support agent as a target of `agentwatch-eval run --target packages/demo-agent/dist/eval-target.js`:
// the demo's guarded support graph, shaped by the demo's incidents, on the offline scripted model unless
// the environment opts into a real provider exactly as the demo does (model-provider.ts).
import { randomUUID } from "node:crypto";

import { messageText, supportPromptMetadata, supportPromptV2Metadata } from "@agentwatch/fixtures";
import { AgentWatchHandler } from "@agentwatch/middleware";
import type { Callbacks } from "@langchain/core/callbacks/manager";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";
import { HumanMessage } from "@langchain/core/messages";

import { DEMO_AGENT_NAME, DEMO_PRICES } from "./demo-handler.js";
import { HashedBagOfWordsEmbeddings } from "./hashed-embeddings.js";
import { combineEffects, IncidentController, type IncidentName, parseIncidentName } from "./incidents.js";
import { chooseProvider, createProviderModel, type ModelProvider } from "./model-provider.js";
import { SupportRuntime } from "./support-runtime.js";

/** What the eval runner passes to a target for one sample of one case. */
export interface EvalTargetContext {
  /** The runner's callback handlers (agentwatch's among them): every case becomes one trace. */
  callbacks: unknown[];
  /** Run metadata (case id, sample, dataset, ...), put on the graph's root run. */
  metadata: Record<string, unknown>;
  /** Aborts the run (the runner's per-case timeout). */
  signal?: AbortSignal;
}

/** What the target answered: the final message's text, and what the agent had to answer from. */
export interface EvalTargetResult {
  answer: string;
  /**
   * The texts the answer may rest on, for the groundedness evaluator: the retrieved articles, then
   * the results of the tools the run called (an order's status is grounded in `lookup_order`'s result).
   */
  documents?: string[];
}

/** A function target of the eval runner. */
export type EvalTarget = (input: string, context: EvalTargetContext) => Promise<EvalTargetResult>;

import { EVAL_INCIDENT_ENV, EVAL_SPEED_ENV } from "./eval-env.js";

export { EVAL_INCIDENT_ENV, EVAL_SPEED_ENV };
/**
 * Default divisor of every simulated delay (model, tools, retrieval) in an evaluation: the scripted
 * model's realistic latency (≈ 0.5 s to first token) would make 100 cases take minutes in CI while
 * proving nothing about quality. Latency ratios between cases are kept.
 */
export const DEFAULT_EVAL_SPEED = 20;

/** Options of {@link createEvalTarget}. */
export interface EvalTargetOptions {
  /** Incidents active for every case (the demo's, see incidents.ts). Default none. */
  incidents?: readonly string[];
  /** Divides every simulated delay. Default {@link DEFAULT_EVAL_SPEED}. */
  speed?: number;
  /** Seed of the scripted model's latency and failure PRNGs. Default 1. */
  seed?: number;
  /** Where the model comes from. Default: the demo's choice from the environment (`chooseProvider`). */
  provider?: ModelProvider;
  /** A chat model to use instead (wins over `provider`). */
  model?: BaseChatModel;
  /** The environment read for the provider's settings. Default `process.env`. */
  env?: NodeJS.ProcessEnv;
}

/** The incident names in `raw` ("a,b" or a list), validated. @throws UnknownIncidentError naming the valid ones. */
export function parseIncidentList(raw: string | readonly string[] | undefined): IncidentName[] {
  const names = typeof raw === "string" ? raw.split(",") : (raw ?? []);
  return names
    .map((n) => n.trim())
    .filter((n) => n !== "")
    .map(parseIncidentName);
}

/** The first agentwatch handler among the runner's callbacks: it traces the embeddings under each retrieval. */
function agentwatchHandlerOf(callbacks: unknown): AgentWatchHandler | undefined {
  if (!Array.isArray(callbacks)) return undefined;
  return callbacks.find((c): c is AgentWatchHandler => c instanceof AgentWatchHandler);
}

/**
 * A target that runs the demo's support graph (guardrails on) with `options.incidents` active, so
 * an evaluation sees what the demo's users see during that incident.
 */
export function createEvalTarget(options: EvalTargetOptions = {}): EvalTarget {
  const env = options.env ?? process.env;
  const incidents = parseIncidentList(options.incidents);
  const speed = options.speed ?? DEFAULT_EVAL_SPEED;
  // Decided now, so a bad DEMO_PROVIDER or a missing key is an error when the target loads.
  const provider = options.model === undefined ? (options.provider ?? chooseProvider(env)) : undefined;
  let model: Promise<BaseChatModel | undefined> | undefined;
  const modelOnce = () =>
    (model ??= Promise.resolve(
      options.model ?? (provider === undefined || provider === "scripted" ? undefined : createProviderModel(provider, env)),
    ));
  // One runtime (one indexed knowledge base, one compiled graph) per agentwatch handler, so that
  // handler traces the query embeddings; runtimes of discarded handlers are collected with them.
  const byHandler = new WeakMap<AgentWatchHandler, Promise<SupportRuntime>>();
  let plain: Promise<SupportRuntime> | undefined;
  const build = async (handler: AgentWatchHandler | undefined) => {
    const chosen = await modelOnce();
    return new SupportRuntime({
      incidents: new IncidentController(incidents),
      speed,
      ...(options.seed !== undefined ? { seed: options.seed } : {}),
      ...(chosen !== undefined ? { model: chosen } : {}),
      ...(handler !== undefined ? { handler } : {}),
    });
  };
  const runtimeFor = (handler: AgentWatchHandler | undefined): Promise<SupportRuntime> => {
    if (handler === undefined) return (plain ??= build(undefined));
    let runtime = byHandler.get(handler);
    if (runtime === undefined) {
      runtime = build(handler);
      byHandler.set(handler, runtime);
    }
    return runtime;
  };

  return async (input, context) => {
    const runtime = await runtimeFor(agentwatchHandlerOf(context.callbacks));
    const { graph, recursionLimit } = runtime.current();
    const state = await graph.invoke(
      { messages: [new HumanMessage(input)] },
      {
        callbacks: context.callbacks as Callbacks,
        metadata: context.metadata,
        configurable: { thread_id: randomUUID() },
        recursionLimit,
        ...(context.signal !== undefined ? { signal: context.signal } : {}),
      },
    );
    const last = state.messages.at(-1);
    const toolResults = state.messages.filter((m) => m.getType() === "tool").map((m) => messageText(m));
    return {
      answer: last === undefined ? "" : messageText(last),
      documents: [...state.docs.map((d) => d.pageContent), ...toolResults],
    };
  };
}

/** A target with the demo incident `name` active (e.g. "prompt-regression"). @throws UnknownIncidentError */
export function withIncident(name: string): EvalTarget {
  return createEvalTarget({ incidents: [name] });
}

function speedFromEnv(raw: string | undefined): number {
  if (raw === undefined || raw.trim() === "") return DEFAULT_EVAL_SPEED;
  const speed = Number(raw);
  if (!Number.isFinite(speed) || speed <= 0) {
    throw new TypeError(`${EVAL_SPEED_ENV} must be a number > 0 (e.g. 1 for the demo's real delays), got ${JSON.stringify(raw)}`);
  }
  return speed;
}

function incidentsFromEnv(raw: string | undefined): IncidentName[] {
  try {
    return parseIncidentList(raw);
  } catch (error) {
    throw new TypeError(`${EVAL_INCIDENT_ENV}: ${(error as Error).message} (comma-separated, or unset for none)`, { cause: error });
  }
}

const envIncidents = incidentsFromEnv(process.env[EVAL_INCIDENT_ENV]);

/**
 * The target the eval CLI loads: incidents from `AGENTWATCH_EVAL_INCIDENT` (e.g. "prompt-regression"),
 * speed from `AGENTWATCH_EVAL_SPEED`, the model as the demo picks it (offline scripted unless
 * `DEMO_PROVIDER` / a provider's key is set).
 */
export const target: EvalTarget = createEvalTarget({ incidents: envIncidents, speed: speedFromEnv(process.env[EVAL_SPEED_ENV]) });

/**
 * The prompt the agent runs with when `incidents` are active, by the labels its runs carry:
 * `acme-support-system@v1` (the shipped prompt, support-prompt.ts), `@v2` under prompt-regression;
 * prompt-drift keeps the label "v1" (an edit in place is what that incident is about).
 */
export function promptUnderTest(incidents: readonly IncidentName[] = []): { name: string; version: string } {
  const meta = combineEffects(incidents).prompt === "v2" ? supportPromptV2Metadata : supportPromptMetadata;
  return { name: meta.prompt_name, version: meta.prompt_version };
}

/**
 * How the eval CLI runs this target:
 * - `prompt`: the prompt under test ({@link promptUnderTest}): the shipped `acme-support-system@v1`, or
 *   `@v2` under prompt-regression. A version without a baseline of its own is compared with the newest
 *   baseline of the same prompt name (the version in production), as a pull request's candidate is;
 * - `agentwatch`: the runner's handler is named and priced like the demo's, so every case's cost shows;
 * - `embeddings`: the demo's deterministic local embeddings for the embedding-similarity evaluator
 *   (offline, no model download).
 */
export const options = {
  prompt: promptUnderTest(envIncidents),
  agentwatch: { agentName: DEMO_AGENT_NAME, prices: { ...DEMO_PRICES } },
  embeddings: new HashedBagOfWordsEmbeddings(),
};
