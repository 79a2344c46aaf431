import { contentText, isMessage, lastAiText } from "./message-text.js";
import { TargetError } from "./target-error.js";
import type { RunnableLike, TargetContext, TargetOptions, TargetResult } from "./types.js";

/** The runnable's input for one user message: `options.input(text)`, else `{ [inputKey]: [{ role: "user", content }] }`. */
export function runnableInput(text: string, options: TargetOptions): unknown {
  if (options.input !== undefined) return options.input(text);
  return { [options.inputKey ?? "messages"]: [{ role: "user", content: text }] };
}

/** The answer in a runnable's result: `options.output(result)`, a string, a message, or the last AI message under `outputKey`. */
export function runnableAnswer(result: unknown, options: TargetOptions): TargetResult {
  if (options.output !== undefined) return options.output(result);
  if (typeof result === "string") return result;
  if (isMessage(result)) return contentText((result as { content: unknown }).content);
  const key = options.outputKey ?? "messages";
  const messages = typeof result === "object" && result !== null ? (result as Record<string, unknown>)[key] : undefined;
  if (!Array.isArray(messages)) {
    throw new TargetError(
      `the target's result has no "${key}" array of messages to read the answer from; set options.outputKey, or options.output = (result) => answer`,
    );
  }
  const answer = lastAiText(messages);
  if (answer === undefined) throw new TargetError(`the target's result has no AI message under "${key}"; the run ended without an answer`);
  return answer;
}

/** Calls a runnable with the runner's callbacks, metadata and signal. */
export async function invokeRunnable(
  runnable: RunnableLike,
  text: string,
  context: TargetContext,
  options: TargetOptions,
): Promise<TargetResult> {
  const result = await runnable.invoke(runnableInput(text, options), {
    callbacks: context.callbacks,
    metadata: context.metadata,
    signal: context.signal,
  });
  return runnableAnswer(result, options);
}
