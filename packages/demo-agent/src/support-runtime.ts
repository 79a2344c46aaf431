import {
  checkSpeed,
  createSupportTools,
  type LatencyProfile,
  type Random,
  REALISTIC_LATENCY,
  ScriptedChatModel,
  seededRandom,
  supportPrompt,
  supportPromptDrifted,
  supportPromptMetadata,
  supportPromptV2,
  supportPromptV2Metadata,
} from "@agentwatch/fixtures";
import type { AgentWatchHandler } from "@agentwatch/middleware";
import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

import { createSupportGraph, type SupportGraph, type SupportGuardrails } from "./guarded-support-graph.js";
import { HashedBagOfWordsEmbeddings } from "./hashed-embeddings.js";
import { IncidentController, type IncidentEffects, type IncidentName } from "./incidents.js";
import { buildKnowledgeBaseStore, KnowledgeBaseRetriever } from "./knowledge-base-retriever.js";
import type { InMemoryVectorStore } from "./vector-store.js";

/**
 * How the agent retries a failed model call: once more, only after a provider 429 (rate limited),
 * after 200 ms (divided by the speed factor). A 500 is not retried and fails the run. Under the
 * error-burst incident this is what a rate-limited provider looks like from the metrics: retries
 * (`agentwatch_model_retries_total`) and throttled calls, while 500s and retries that fail again
 * still fail runs.
 */
export const MODEL_RETRY = { attempts: 2, delayMs: 200 } as const;

/** Whether a model call's error is a provider rate limit (HTTP 429), the only one the agent retries. */
export function isRateLimited(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { status?: unknown }).status === 429;
}

/** The step limit of every run: a normal question takes 6 steps, the cost-runaway one 10; a tool loop is cut here. */
export const DEFAULT_RECURSION_LIMIT = 12;

/** Options of {@link SupportRuntime}. */
export interface SupportRuntimeOptions {
  /** Traces and measures the embeddings (`handler.instrumentEmbeddings`). */
  handler?: AgentWatchHandler;
  /** The incidents that shape the agent. Default: a new controller with none active. */
  incidents?: IncidentController;
  /** Divides every simulated delay (model, tools, retrieval). Default 1. */
  speed?: number;
  /** Seed of the scripted model's latency and failure PRNGs. Default 1. */
  seed?: number;
  /** A real provider's model. Default: a {@link ScriptedChatModel} with realistic latency, streaming. */
  model?: BaseChatModel;
  /** Distributions of the scripted model's delays. Default {@link REALISTIC_LATENCY}. */
  latency?: LatencyProfile;
  /** Guardrail nodes around the agent. Default true (the defaults of `createSupportGraph`). */
  guardrails?: boolean | SupportGuardrails;
  /** LangGraph recursion limit of every run. Default {@link DEFAULT_RECURSION_LIMIT}. */
  recursionLimit?: number;
  /** Delay inside every tool call, in ms, before the speed factor. Default 30. */
  toolDelayMs?: number;
  /** Delay of every vector search, in ms, before the speed factor. Default 15. */
  retrievalDelayMs?: number;
}

/** What one request runs with. */
export interface RuntimeSnapshot {
  graph: SupportGraph;
  effects: IncidentEffects;
  incidents: IncidentName[];
  recursionLimit: number;
}

const MAX_CACHED_GRAPHS = 64;

/**
 * The demo agent as the server runs it: the support graph with guardrails, vector retrieval over
 * the knowledge base (local hashed embeddings, indexed once), and a chat model, all shaped by the
 * active incidents. One compiled graph per combination of incidents, built on first use.
 *
 * Model-level incident effects (latency, errors, tool behaviour, model identity, usage) shape the
 * offline scripted model only; with a real provider's model, prompt, retrieval and context effects apply.
 * The agent node retries a rate-limited model call once ({@link MODEL_RETRY}).
 */
export class SupportRuntime {
  readonly incidents: IncidentController;
  readonly speed: number;
  readonly recursionLimit: number;
  /** The knowledge base's vector store, once indexed. */
  readonly store: Promise<InMemoryVectorStore>;
  /** "scripted", or the class name of the real model. */
  readonly modelKind: string;
  private readonly options: SupportRuntimeOptions;
  private readonly latencyRandom: Random;
  private readonly failureRandom: Random;
  private readonly graphs = new Map<string, SupportGraph>();

  constructor(options: SupportRuntimeOptions = {}) {
    this.options = options;
    this.incidents = options.incidents ?? new IncidentController();
    this.speed = checkSpeed(options.speed ?? 1, "SupportRuntime: speed");
    this.recursionLimit = options.recursionLimit ?? DEFAULT_RECURSION_LIMIT;
    const seed = options.seed ?? 1;
    this.latencyRandom = seededRandom(seed);
    this.failureRandom = seededRandom(seed + 1);
    this.modelKind = options.model === undefined ? "scripted" : options.model.constructor.name;
    const base = new HashedBagOfWordsEmbeddings();
    const embeddings = options.handler?.instrumentEmbeddings(base, { model: base.model, provider: "acme" }) ?? base;
    this.store = buildKnowledgeBaseStore(embeddings);
  }

  /** Resolves once the knowledge base is indexed. */
  async ready(): Promise<void> {
    await this.store;
  }

  /** The graph and settings for a request started now. */
  current(): RuntimeSnapshot {
    const key = this.incidents.key();
    const effects = this.incidents.effects();
    let graph = this.graphs.get(key);
    if (graph === undefined) {
      if (this.graphs.size >= MAX_CACHED_GRAPHS) this.graphs.clear();
      graph = this.build(effects);
      this.graphs.set(key, graph);
    }
    return { graph, effects, incidents: this.incidents.list(), recursionLimit: this.recursionLimit };
  }

  /** The scripted model shaped by `effects` (sharing this runtime's PRNGs). */
  scriptedModel(effects: IncidentEffects): ScriptedChatModel {
    return new ScriptedChatModel({
      ...(effects.model.model !== undefined ? { model: effects.model.model } : {}),
      ...(effects.model.provider !== undefined ? { provider: effects.model.provider } : {}),
      ...(effects.model.responseModel !== undefined ? { responseModel: effects.model.responseModel } : {}),
      ...(effects.model.systemFingerprint !== undefined ? { systemFingerprint: effects.model.systemFingerprint } : {}),
      ...(effects.maxAnswerWords !== undefined ? { maxAnswerWords: effects.maxAnswerWords } : {}),
      latency: this.options.latency ?? REALISTIC_LATENCY,
      speed: this.speed,
      random: this.latencyRandom,
      failureRandom: this.failureRandom,
      ttftMultiplier: effects.ttftMultiplier,
      ...(effects.stall !== undefined ? { stall: effects.stall } : {}),
      errorRate: effects.errorRate,
      loopTools: effects.loopTools,
      chainTools: effects.chainTools,
      cacheReads: effects.cacheReads,
      streaming: true,
    });
  }

  private build(effects: IncidentEffects): SupportGraph {
    const retriever = new KnowledgeBaseRetriever({
      store: this.store,
      k: effects.retrievalK,
      minScore: effects.retrievalMinScore,
      order: effects.retrievalOrder,
      tampered: effects.tamperedArticles,
      delayMs: (this.options.retrievalDelayMs ?? 15) / this.speed,
    });
    const prompt = effects.prompt === "v2" ? supportPromptV2 : effects.prompt === "v1-drifted" ? supportPromptDrifted : supportPrompt;
    return createSupportGraph({
      model: this.options.model ?? this.scriptedModel(effects),
      tools: createSupportTools({ delayMs: Math.round((this.options.toolDelayMs ?? 30) / this.speed) }),
      retriever,
      prompt,
      promptMetadata: effects.prompt === "v2" ? supportPromptV2Metadata : supportPromptMetadata,
      guardrails: this.options.guardrails ?? true,
      contextRepeat: effects.contextRepeat,
      modelRetry: { attempts: MODEL_RETRY.attempts, delayMs: MODEL_RETRY.delayMs / this.speed, retryOn: isRateLimited },
    });
  }
}
