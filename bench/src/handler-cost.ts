import { AgentWatchHandler } from "@agentwatch/middleware";
import { BasicTracerProvider, BatchSpanProcessor } from "@opentelemetry/sdk-trace-base";

import { DiscardExporter } from "./discard-exporter.js";
import { now } from "./stats.js";

/** µs of agentwatch work per LangChain run, driving its callbacks directly with realistic payloads. */
export async function handlerCostPerRun(): Promise<number> {
  const handler = new AgentWatchHandler({
    tracerProvider: new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(new DiscardExporter())] }),
  });
  const serializedChat = { lc: 1, type: "not_implemented", id: ["langchain", "chat_models", "ChatOpenAI"] };
  const output = {
    generations: [
      [
        {
          text: "hi",
          message: {
            content: "hi",
            usage_metadata: { input_tokens: 100, output_tokens: 20, total_tokens: 120 },
            response_metadata: { model_name: "gpt-4o-mini" },
          },
        },
      ],
    ],
  };
  const iterations = 20_000;
  const run = async (i: number) => {
    const root = `r${i}`;
    handler._createRunForChainStart({ id: ["LangGraph"] }, {}, root, undefined, [], {}, undefined, "bench");
    handler._createRunForChainStart(
      { id: ["RunnableCallable"] },
      {},
      `n${i}`,
      root,
      ["graph:step:1"],
      { langgraph_node: "agent", langgraph_step: 1 },
      undefined,
      "agent",
    );
    handler._createRunForChatModelStart(
      serializedChat,
      [[]],
      `c${i}`,
      `n${i}`,
      { invocation_params: { model: "gpt-4o-mini", temperature: 0 } },
      [],
      { ls_provider: "openai", langgraph_node: "agent" },
    );
    await handler.handleChatModelStart(serializedChat as never, [[]], `c${i}`);
    await handler.handleLLMEnd(output as never, `c${i}`);
    await handler.handleChainEnd({}, `n${i}`);
    await handler.handleChainEnd({}, root);
  };
  for (let i = 0; i < 2000; i++) await run(i); // warm-up
  const start = now();
  for (let i = 0; i < iterations; i++) await run(i + 2000);
  const runs = iterations * 3;
  handler.shutdown();
  return ((now() - start) * 1000) / runs;
}
