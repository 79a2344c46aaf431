// A production trace turned into a candidate golden case for review: the question from the root
// invoke_agent span's `gen_ai.input.messages`, the answer it gave as the reference (from
// `gen_ai.output.messages`), the tools it called in order, and its feature as a tag.

import { ATTR, OPERATION } from "@agentwatch/middleware";

import type { EvalCase } from "../types.js";
import { TraceFormatError, type TraceSpan } from "./otlp-json.js";

/** A case without its dataset line (the dataset loader numbers lines). */
export type CandidateCase = Omit<EvalCase, "line">;

export interface Candidate {
  case: CandidateCase;
  /** Things a reviewer must check (content cut to maxContentLength, no answer captured). */
  warnings: string[];
}

/** One candidate per outermost invoke_agent span of the spans (a file may hold several traces). */
export function candidateCases(spans: TraceSpan[], source = "trace"): Candidate[] {
  const byId = new Map(spans.map((s) => [`${s.traceId}/${s.spanId}`, s]));
  const isAgent = (s: TraceSpan) => s.attributes[ATTR.operationName] === OPERATION.invokeAgent;
  const agentAncestor = (s: TraceSpan): TraceSpan | undefined => {
    let parent = s.parentSpanId === undefined ? undefined : byId.get(`${s.traceId}/${s.parentSpanId}`);
    let outer: TraceSpan | undefined;
    while (parent !== undefined) {
      if (isAgent(parent)) outer = parent;
      parent = parent.parentSpanId === undefined ? undefined : byId.get(`${parent.traceId}/${parent.parentSpanId}`);
    }
    return outer;
  };
  const roots = spans
    .filter((s) => isAgent(s) && agentAncestor(s) === undefined)
    .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0));
  if (roots.length === 0) {
    throw new TraceFormatError(
      `${source} has no ${OPERATION.invokeAgent} span (${spans.length} spans): give a trace of an agent run traced by agentwatch`,
    );
  }
  const perTrace = new Map<string, number>();
  for (const r of roots) perTrace.set(r.traceId, (perTrace.get(r.traceId) ?? 0) + 1);
  return roots.map((root) => {
    const tools = spans
      .filter((s) => s.attributes[ATTR.operationName] === OPERATION.executeTool && agentAncestor(s) === root)
      .sort((a, b) => (a.start < b.start ? -1 : a.start > b.start ? 1 : 0))
      .map((s) => String(s.attributes[ATTR.toolName] ?? s.name.replace(/^execute_tool /, "")));
    const id = (perTrace.get(root.traceId) ?? 0) > 1 ? `trace-${root.traceId}-${root.spanId}` : `trace-${root.traceId}`;
    return candidateOf(root, tools, id, source);
  });
}

function candidateOf(root: TraceSpan, tools: string[], id: string, source: string): Candidate {
  const where = `${source}: the ${root.name} span of trace ${root.traceId}`;
  const input = root.attributes[ATTR.inputMessages];
  if (typeof input !== "string") {
    throw new TraceFormatError(
      `${where} has no ${ATTR.inputMessages}: captured content was off when it ran. Enable it with new AgentWatchHandler({ captureContent: true }) to turn traces into cases`,
    );
  }
  const question = lastText(parseMessages(input, `${where}: ${ATTR.inputMessages}`), "user");
  if (question === undefined) throw new TraceFormatError(`${where}: ${ATTR.inputMessages} has no user message with text`);
  const warnings: string[] = [];
  const candidate: CandidateCase = { id, input: question, tags: [] };
  const output = root.attributes[ATTR.outputMessages];
  const answer = typeof output === "string" ? lastText(parseMessages(output, `${where}: ${ATTR.outputMessages}`), "assistant") : undefined;
  if (answer === undefined) warnings.push(`${id}: no answer was captured (${ATTR.outputMessages}); write the reference by hand`);
  else candidate.reference = answer;
  if (tools.length > 0) candidate.tools = tools;
  const feature = root.attributes[ATTR.feature];
  if (typeof feature === "string" && feature !== "") candidate.tags = [feature];
  if (root.attributes[ATTR.contentTruncated] === true)
    warnings.push(`${id}: the captured content was cut to maxContentLength; check the input and reference`);
  warnings.push(`${id}: the reference is what production answered; check it is right before committing the case`);
  return { case: candidate, warnings };
}

interface Message {
  role?: string;
  parts?: Array<{ type?: string; content?: unknown }>;
}

function parseMessages(text: string, what: string): Message[] {
  try {
    const value: unknown = JSON.parse(text);
    if (Array.isArray(value)) return value as Message[];
  } catch {
    // below
  }
  throw new TraceFormatError(`${what} is not a JSON array of GenAI messages`);
}

/** The text of the last message of `role`, its text parts joined. */
function lastText(messages: Message[], role: string): string | undefined {
  for (let i = messages.length - 1; i >= 0; i--) {
    const m = messages[i];
    if (m?.role !== role) continue;
    const text = (m.parts ?? [])
      .filter((p) => p.type === "text" && typeof p.content === "string")
      .map((p) => p.content as string)
      .join("\n");
    if (text !== "") return text;
  }
  return undefined;
}
