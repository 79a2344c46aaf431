import type { DocumentInterface } from "@langchain/core/documents";
import { Annotation, MessagesAnnotation } from "@langchain/langgraph";

/** State of the Acme support graph: the conversation plus the documents retrieved for it. */
export const SupportState = Annotation.Root({
  ...MessagesAnnotation.spec,
  /** Documents retrieved for the last question; each retrieval replaces the previous ones. */
  docs: Annotation<DocumentInterface[]>({ reducer: (_previous, next) => next, default: () => [] }),
});

/** The value type of {@link SupportState}. */
export type SupportStateValue = typeof SupportState.State;
