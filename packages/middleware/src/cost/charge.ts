import { diag } from "@opentelemetry/api";

import type { TokenCounts } from "../langchain/llm-payload.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { LlmInfo, RunRecord } from "../runs/run-record.js";
import { ATTR } from "../semconv.js";
import { Pricer } from "./pricing.js";
import type { RunGuards } from "./run-guards.js";
import type { ModelPrice } from "./types.js";

/** Unpriced models logged at most (each is logged once). */
const MAX_LOGGED_UNPRICED = 1000;

/**
 * What a model call costs: priced from its tokens, put on its span, rolled up onto every ancestor
 * run (node spans and the root span show their subtree's cost), counted by agent, provider, model
 * and attribution, and checked against the run guards. A model with no known price is never
 * silently free: its span says so, it is counted, and it is logged once.
 */
export class Charger {
  private readonly pricer: Pricer;
  private readonly unpricedLogged = new Set<string>();

  constructor(
    prices: Record<string, ModelPrice>,
    private readonly metrics: AgentWatchMetrics,
    private readonly guards: RunGuards,
  ) {
    this.pricer = new Pricer(prices);
  }

  /** Charges the ended model call `run` for `tokens`. */
  charge(run: RunRecord, llm: LlmInfo, tokens: TokenCounts): void {
    const root = run.root;
    root.tokens += (tokens.input ?? 0) + (tokens.output ?? 0);
    const cost = this.pricer.price(llm, tokens);
    if (cost.priced) {
      run.span?.setAttribute(ATTR.costUsd, cost.usd);
      for (let r: RunRecord | undefined = run.parent; r !== undefined; r = r.parent) r.costUsd += cost.usd;
      root.costUsd += cost.usd;
      this.guards.spent(root, cost.usd);
      this.metrics.cost.call({ agent: run.agent, provider: llm.provider, model: llm.model, attribution: root.attribution }, cost.usd);
    } else {
      run.span?.setAttribute(ATTR.costPriced, false);
      this.metrics.cost.unpriced({ provider: llm.provider, model: llm.model });
      this.logUnpriced(llm);
    }
    this.guards.usageAdded(root);
  }

  private logUnpriced(llm: LlmInfo): void {
    const key = `${llm.provider}/${llm.model}`;
    if (this.unpricedLogged.has(key) || this.unpricedLogged.size >= MAX_LOGGED_UNPRICED) return;
    this.unpricedLogged.add(key);
    diag.warn(
      `agentwatch: no price for model "${llm.model}" (provider "${llm.provider}"); its cost is not counted. Add it to the handler's prices option.`,
    );
  }
}
