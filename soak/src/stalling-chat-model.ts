import { ScriptedChatModel, type ScriptedChatModelFields } from "@agentwatch/fixtures";
import type { CallbackManagerForLLMRun } from "@langchain/core/callbacks/manager";
import type { BaseChatModelCallOptions, BindToolsInput } from "@langchain/core/language_models/chat_models";
import type { BaseMessage } from "@langchain/core/messages";
import type { ChatGenerationChunk } from "@langchain/core/outputs";

/** Which model call hangs: the question's first one, or the one answering a tool result. */
export type StallPoint = "first-call" | "after-tool";

/** A promise that never settles and that nothing else references: what it awaits is garbage once dropped. */
const forever = (): Promise<never> => new Promise<never>(() => {});

/**
 * The scripted model of a provider whose stream hangs: at its stall point it sends the first chunk
 * (the token callback fires, so a `messages` stream sees it) and then never sends another, so the
 * model run, and every run above it, never ends in LangChain. Other calls behave normally.
 */
export class StallingChatModel extends ScriptedChatModel {
  private readonly stallPoint: StallPoint;
  private readonly init: ScriptedChatModelFields;

  constructor(stallPoint: StallPoint, fields: ScriptedChatModelFields = {}) {
    super({ ...fields, streaming: true });
    this.stallPoint = stallPoint;
    this.init = fields;
  }

  override bindTools(tools: BindToolsInput[], kwargs?: Partial<BaseChatModelCallOptions>): StallingChatModel {
    const bound = super.bindTools(tools, kwargs);
    return new StallingChatModel(this.stallPoint, {
      ...this.init,
      random: bound.random,
      failureRandom: bound.failureRandom,
      toolNames: [...bound.toolNames],
    });
  }

  override async *_streamResponseChunks(
    messages: BaseMessage[],
    options: this["ParsedCallOptions"],
    runManager?: CallbackManagerForLLMRun,
  ): AsyncGenerator<ChatGenerationChunk> {
    const stalls = this.stallPoint === "first-call" || messages.at(-1)?.getType() === "tool";
    const chunks = super._streamResponseChunks(messages, options, runManager);
    if (!stalls) {
      yield* chunks;
      return;
    }
    const first = await chunks.next();
    if (first.done === true) return forever();
    yield first.value;
    // Pull once more so the first chunk's token callback runs, then hang before the next chunk.
    await chunks.next();
    return forever();
  }
}
