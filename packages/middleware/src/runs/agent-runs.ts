import { type Attributes, SpanKind } from "@opentelemetry/api";

import type { ContentCapture } from "../content/capture.js";
import type { Evaluations } from "../evaluations/evaluations.js";
import { clipSample } from "../evaluations/sample-limits.js";
import { serializedClass } from "../langchain/llm-payload.js";
import { agentInputMessages, agentOutputMessages } from "../langchain/messages.js";
import { UNKNOWN_PROVIDER } from "../langchain/provider.js";
import { answerOf, questionOf } from "../langchain/run-texts.js";
import { dict, text } from "../langchain/values.js";
import type { AgentWatchMetrics } from "../metrics/agentwatch-metrics.js";
import type { Conversations } from "../outcomes/conversations.js";
import { ATTR, OPERATION } from "../semconv.js";
import { GenericNameWarning } from "./agent-name.js";
import { countInterrupt } from "./chain-runs.js";
import type { ChainStart } from "./events.js";
import type { InterruptLinks } from "./interrupt-links.js";
import type { RunLifecycle } from "./lifecycle.js";
import type { StartPlace } from "./parenting.js";
import { newRootState, type RootSettings } from "./root-state.js";
import type { RunRecord } from "./run-record.js";

/**
 * Agent runs: a root chain (a compiled graph, an agent, any runnable invoked with the handler) is
 * an `invoke_agent {agent}` span with the conversation, user and session from its metadata, the
 * provider of its first model call, its input and output as GenAI messages (with content
 * capture), the run's cost and prompt, and
 * `gen_ai_invoke_agent_duration_seconds`. A finished (or evicted) agent run is remembered so later
 * scores and feedback reach its trace.
 */
export class AgentRuns {
  private readonly genericName = new GenericNameWarning();

  constructor(
    private readonly lifecycle: RunLifecycle,
    private readonly metrics: AgentWatchMetrics,
    private readonly content: ContentCapture,
    private readonly evaluations: Evaluations,
    private readonly roots: RootSettings,
    private readonly interrupts: InterruptLinks,
    private readonly conversations: Conversations | undefined,
  ) {
    lifecycle.on(["agent"], {
      closing: (run, span, outcome) => {
        const root = run.root;
        // gen_ai.provider.name is required on invoke_agent spans. A LangChain / LangGraph agent
        // runs in-process and has no provider of its own: it is the provider of the run's first
        // model call (already set when that call started, see runs/llm-runs.ts), or "unknown"
        // for a run that made no model call.
        if (root.provider === undefined) span.setAttribute(ATTR.providerName, UNKNOWN_PROVIDER);
        if (this.content.enabled && outcome.outputs !== undefined) {
          const messages = agentOutputMessages(outcome.outputs);
          const attributes: Attributes = {};
          if (messages !== undefined) this.content.put(attributes, ATTR.outputMessages, "output.messages", messages);
          span.setAttributes(attributes);
        }
        span.setAttribute(ATTR.costUsd, root.costUsd);
        if (root.prompt?.name !== undefined) span.setAttribute(ATTR.promptName, root.prompt.name);
        if (root.prompt?.version !== undefined) span.setAttribute(ATTR.promptVersion, root.prompt.version);
        if (root.prompt?.hash !== undefined) span.setAttribute(ATTR.promptHash, root.prompt.hash);
        this.interrupts.rootClosing(run, span, outcome);
      },
      closed: (run, span, outcome) => {
        countInterrupt(this.metrics, run, outcome);
        const root = run.root;
        const calls = { llm: root.llmCalls, tool: root.toolCalls };
        if (!outcome.cancelled) this.metrics.agents.run({ agent: root.agent, errorType: outcome.errorType }, outcome.seconds, span, calls);
        this.metrics.cost.run(root.agent, root.costUsd);
        this.remember(run, outcome.outputs);
        this.conversations?.turnEnded(root);
      },
      // A run that outlived the TTL (a slow run on a loaded machine) still gets its feedback.
      evicted: (run) => this.remember(run, undefined),
    });
  }

  /** A root chain started. */
  start(place: StartPlace, event: ChainStart): void {
    const { id } = place;
    const md = dict(event.metadata);
    const name = text(event.runName) ?? serializedClass(event.serialized) ?? "chain";
    const root = newRootState(id, md, this.roots, name);
    this.genericName.check(root.agent);
    const attributes: Attributes = {
      [ATTR.operationName]: OPERATION.invokeAgent,
      [ATTR.agentName]: root.agent,
      [ATTR.runId]: id,
    };
    if (root.conversationId !== undefined) attributes[ATTR.conversationId] = root.conversationId;
    if (root.synthetic) attributes[ATTR.synthetic] = true;
    const user = text(md.user_id);
    if (user !== undefined) attributes[ATTR.userId] = user;
    const session = text(md.session_id);
    if (session !== undefined) attributes[ATTR.sessionId] = session;
    if (this.content.enabled) this.content.put(attributes, ATTR.inputMessages, "input.messages", agentInputMessages(event.inputs));
    if (this.evaluations.online) root.question = clipSample(questionOf(event.inputs));
    const run = this.lifecycle.open({
      id,
      kind: "agent",
      name,
      root,
      details: {},
      parent: undefined,
      spanName: `${OPERATION.invokeAgent} ${root.agent}`,
      spanKind: SpanKind.INTERNAL,
      attributes,
      activate: event.activate,
    });
    this.interrupts.rootStarted(run, event.inputs);
    this.conversations?.turnStarted(root);
  }

  /** Keeps a finished root run for later scores and feedback, with a sample of its texts when evaluation is on. */
  private remember(run: RunRecord, outputs: unknown): void {
    const root = run.root;
    const span = root.span;
    if (span === undefined) return;
    const answer = this.evaluations.online && outputs !== undefined ? answerOf(outputs) : undefined;
    this.evaluations.runFinished({
      runId: root.id,
      spanContext: span.spanContext(),
      agent: root.agent,
      promptVersion: root.prompt?.version ?? "",
      feature: root.attribution.feature ?? "",
      flagged: root.flagged,
      synthetic: root.synthetic,
      evaluated: false,
      ...(answer !== undefined
        ? { sample: { question: root.question ?? "", answer: clipSample(answer), documents: root.documents ?? [] } }
        : {}),
    });
  }
}
