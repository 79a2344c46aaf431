import { type Attributes, SpanKind } from "@opentelemetry/api";

import type { ContentCapture } from "../content/capture.js";
import { agentInputMessages, agentOutputMessages } from "../langchain/messages.js";
import { UNKNOWN_PROVIDER } from "../langchain/provider.js";
import { dict, text } from "../langchain/values.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import { ATTR, OPERATION } from "../semconv.js";
import type { ChainStart } from "./events.js";
import type { RunLifecycle } from "./lifecycle.js";
import { nestedAgentName } from "./nested-agents.js";
import type { StartPlace } from "./parenting.js";
import type { NestedAgent, RunRecord } from "./run-record.js";

/**
 * Nested agents (runs/nested-agents.ts decides which chain is one): an `invoke_agent {name}` span
 * under the node span it runs in, with `gen_ai.agent.name`, the provider of its own first model
 * call, its cost (the calls under it) and, with content capture, its messages. Every run under it
 * is labelled with its name (`RunRecord.agent`). Its duration goes to
 * `agentwatch_nested_agent_duration_seconds{agent, parent_agent}`, never to the whole-run metrics,
 * so no sum over agents counts a request twice (README "Nested agents").
 */
export class NestedAgentRuns {
  constructor(
    private readonly lifecycle: RunLifecycle,
    private readonly metrics: AgentWatchMetrics,
    private readonly content: ContentCapture,
  ) {
    lifecycle.on(["nested"], {
      closing: (run, span, outcome) => {
        if (run.nested?.provider === undefined) span.setAttribute(ATTR.providerName, UNKNOWN_PROVIDER);
        span.setAttribute(ATTR.costUsd, run.costUsd);
        if (this.content.enabled && outcome.outputs !== undefined) {
          const attributes: Attributes = {};
          const messages = agentOutputMessages(outcome.outputs);
          if (messages !== undefined) this.content.put(attributes, ATTR.outputMessages, "output.messages", messages);
          span.setAttributes(attributes);
        }
      },
      closed: (run, span, outcome) => {
        const parentAgent = run.nested?.parentAgent ?? run.root.agent;
        if (!outcome.cancelled)
          this.metrics.agents.nestedRun({ agent: run.agent, parentAgent, errorType: outcome.errorType }, outcome.seconds, span);
      },
    });
  }

  /** A compiled graph started under `place.parent` (a node's run). */
  start(place: StartPlace & { parent: RunRecord }, event: ChainStart): void {
    const { id, parent } = place;
    const md = dict(event.metadata);
    const runName = text(event.runName) ?? "";
    const nested: NestedAgent = {
      name: nestedAgentName(runName, md, parent),
      parentAgent: parent.agent,
      span: undefined,
      provider: undefined,
    };
    const attributes: Attributes = {
      [ATTR.operationName]: OPERATION.invokeAgent,
      [ATTR.agentName]: nested.name,
      [ATTR.runId]: id,
    };
    if (parent.root.conversationId !== undefined) attributes[ATTR.conversationId] = parent.root.conversationId;
    if (this.content.enabled) this.content.put(attributes, ATTR.inputMessages, "input.messages", agentInputMessages(event.inputs));
    const run = this.lifecycle.open({
      id,
      kind: "nested",
      name: nested.name,
      root: parent.root,
      details: { node: parent.node, step: parent.step, nested },
      parent,
      spanName: `${OPERATION.invokeAgent} ${nested.name}`,
      spanKind: SpanKind.INTERNAL,
      attributes,
      activate: event.activate,
    });
    nested.span = run.span;
  }
}

/** Puts a model call's provider on the nested agent it runs in, if it is that agent's first (`gen_ai.provider.name` is required on `invoke_agent`). */
export function nestedProvider(nested: NestedAgent | undefined, provider: string): void {
  if (nested === undefined || nested.provider !== undefined) return;
  nested.provider = provider;
  nested.span?.setAttribute(ATTR.providerName, provider);
}
