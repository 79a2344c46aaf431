import type { BaseChatModel } from "@langchain/core/language_models/chat_models";

/** Where the agent's chat model comes from. */
export type ModelProvider = "scripted" | "openai" | "anthropic" | "ollama";

const PROVIDERS: readonly ModelProvider[] = ["scripted", "openai", "anthropic", "ollama"];

/** Default model names of the real providers (override with OPENAI_MODEL, ANTHROPIC_MODEL, OLLAMA_MODEL). */
export const DEFAULT_MODELS = { openai: "gpt-4.1-mini", anthropic: "claude-haiku-4-5", ollama: "llama3.1" } as const;

/**
 * Picks the provider from the environment: `DEMO_PROVIDER` when set (scripted, openai, anthropic
 * or ollama), else the first of `OPENAI_API_KEY`, `ANTHROPIC_API_KEY`, `OLLAMA_BASE_URL` that is
 * set, else the offline scripted model. Errors name the variable and the fix.
 */
export function chooseProvider(env: NodeJS.ProcessEnv = process.env): ModelProvider {
  const forced = env.DEMO_PROVIDER?.trim();
  if (forced) {
    if (!(PROVIDERS as readonly string[]).includes(forced)) {
      throw new Error(`DEMO_PROVIDER must be one of ${PROVIDERS.join(", ")}, got ${JSON.stringify(forced)}`);
    }
    const provider = forced as ModelProvider;
    const needs = { openai: "OPENAI_API_KEY", anthropic: "ANTHROPIC_API_KEY", ollama: "OLLAMA_BASE_URL", scripted: undefined }[provider];
    if (needs !== undefined && !env[needs])
      throw new Error(`DEMO_PROVIDER=${provider} needs ${needs}; set it, or unset DEMO_PROVIDER to use the offline model`);
    return provider;
  }
  if (env.OPENAI_API_KEY) return "openai";
  if (env.ANTHROPIC_API_KEY) return "anthropic";
  if (env.OLLAMA_BASE_URL) return "ollama";
  return "scripted";
}

/**
 * A real provider's chat model through its official LangChain package, loaded with a dynamic
 * import only now (the offline demo never loads them). It streams inside `invoke` too, so time to
 * first token is measured. Constructing it makes no network call.
 */
export async function createProviderModel(
  provider: Exclude<ModelProvider, "scripted">,
  env: NodeJS.ProcessEnv = process.env,
): Promise<BaseChatModel> {
  switch (provider) {
    case "openai": {
      const { ChatOpenAI } = await import("@langchain/openai");
      return new ChatOpenAI({
        model: env.OPENAI_MODEL || DEFAULT_MODELS.openai,
        apiKey: env.OPENAI_API_KEY,
        temperature: 0.2,
        streaming: true,
        streamUsage: true,
      });
    }
    case "anthropic": {
      const { ChatAnthropic } = await import("@langchain/anthropic");
      return new ChatAnthropic({
        model: env.ANTHROPIC_MODEL || DEFAULT_MODELS.anthropic,
        apiKey: env.ANTHROPIC_API_KEY,
        temperature: 0.2,
        streaming: true,
      });
    }
    case "ollama": {
      const { ChatOllama } = await import("@langchain/ollama");
      return new ChatOllama({
        model: env.OLLAMA_MODEL || DEFAULT_MODELS.ollama,
        baseUrl: env.OLLAMA_BASE_URL,
        temperature: 0.2,
        streaming: true,
      });
    }
  }
}
