import { Annotation, type BaseCheckpointSaver, END, interrupt, MemorySaver, START, StateGraph } from "@langchain/langgraph";

/** State of the refund-review graph. */
export const RefundReviewState = Annotation.Root({
  /** What the customer asked for, e.g. "refund order AB-1234". */
  request: Annotation<string>,
  /** The reviewer's answer, as given to `Command({ resume })`. */
  decision: Annotation<string | undefined>,
  /** "refund approved" or "refund declined". */
  outcome: Annotation<string | undefined>,
});

/** Options of {@link createInterruptingGraph}. */
export interface InterruptingGraphOptions {
  /** Default: a new `MemorySaver` (interrupts need a checkpointer). */
  checkpointer?: BaseCheckpointSaver;
  /** Default "acme-refund-review". */
  name?: string;
}

/**
 * A human-in-the-loop graph: `review` interrupts with `{ question: "approve refund?" }`; once
 * resumed with `new Command({ resume: answer })` (same `thread_id`), `finish` records the outcome.
 * Any answer starting with "approve" or "yes" approves.
 */
export function createInterruptingGraph(options: InterruptingGraphOptions = {}) {
  return new StateGraph(RefundReviewState)
    .addNode("review", () => {
      const answer: unknown = interrupt({ question: "approve refund?" });
      return { decision: String(answer) };
    })
    .addNode("finish", (state) => ({ outcome: /^(approve|yes)/i.test(state.decision ?? "") ? "refund approved" : "refund declined" }))
    .addEdge(START, "review")
    .addEdge("review", "finish")
    .addEdge("finish", END)
    .compile({ checkpointer: options.checkpointer ?? new MemorySaver(), name: options.name ?? "acme-refund-review" });
}

/** The compiled refund-review graph. */
export type InterruptingGraph = ReturnType<typeof createInterruptingGraph>;
