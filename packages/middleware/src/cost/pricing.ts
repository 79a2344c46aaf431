import { calcPrice } from "@pydantic/genai-prices";

import type { TokenCounts } from "../langchain/llm-payload.js";
import { own } from "../langchain/values.js";
import { PROVIDER } from "../semconv.js";
import type { ModelPrice } from "./types.js";

/** `gen_ai.provider.name` values → `@pydantic/genai-prices` provider ids. */
const PRICE_PROVIDER: Record<string, string> = {
  [PROVIDER.openai]: "openai",
  [PROVIDER.anthropic]: "anthropic",
  [PROVIDER.awsBedrock]: "aws",
  [PROVIDER.gcpVertexAi]: "google",
  [PROVIDER.gcpGemini]: "google",
  [PROVIDER.gcpGenAi]: "google",
  [PROVIDER.azureAiOpenai]: "azure",
  [PROVIDER.azureAiInference]: "azure",
  [PROVIDER.mistralAi]: "mistral",
  [PROVIDER.groq]: "groq",
  [PROVIDER.deepseek]: "deepseek",
  [PROVIDER.xAi]: "x-ai",
  [PROVIDER.cohere]: "cohere",
  [PROVIDER.perplexity]: "perplexity",
};

/** The cost of one call, or why there is none. */
export type CallCost = { priced: true; usd: number; source: "override" | "genai-prices" } | { priced: false };

const MTOK = 1_000_000;

/** Prices model calls from their token counts: the user's overrides first, then the bundled genai-prices data. */
export class Pricer {
  /** Provider/model pairs the library has no price for, so they are not looked up again. */
  private readonly unknown = new Set<string>();

  constructor(private readonly overrides: Readonly<Record<string, ModelPrice>>) {}

  /** The cost of a call of `model` (from `provider`) that used `tokens`. */
  price({ provider, model }: { provider: string; model: string }, tokens: TokenCounts): CallCost {
    const override = own(this.overrides, `${provider}/${model}`) ?? own(this.overrides, model);
    if (override !== undefined) return { priced: true, usd: priceWith(override, tokens), source: "override" };
    const key = `${provider}\u0000${model}`;
    if (this.unknown.has(key)) return { priced: false };
    const providerId = own(PRICE_PROVIDER, provider);
    const usage = {
      input_tokens: tokens.input ?? 0,
      output_tokens: tokens.output ?? 0,
      cache_read_tokens: tokens.cache_read ?? 0,
      cache_write_tokens: tokens.cache_write ?? 0,
    };
    const result = calcPrice(usage, model, providerId !== undefined ? { providerId } : {});
    if (result === null) {
      this.unknown.add(key);
      return { priced: false };
    }
    return { priced: true, usd: result.total_price, source: "genai-prices" };
  }
}

/**
 * Cost from a per-1M-token price. Input includes cache reads and writes, output includes
 * reasoning (as providers report them); each part is billed at its own rate, defaulting to the
 * input or output rate.
 */
export function priceWith(price: ModelPrice, tokens: TokenCounts): number {
  const input = tokens.input ?? 0;
  const output = tokens.output ?? 0;
  const cacheRead = Math.min(tokens.cache_read ?? 0, input);
  const cacheWrite = Math.min(tokens.cache_write ?? 0, input - cacheRead);
  const reasoning = Math.min(tokens.reasoning ?? 0, output);
  const usd =
    (input - cacheRead - cacheWrite) * price.input +
    cacheRead * (price.cacheRead ?? price.input) +
    cacheWrite * (price.cacheWrite ?? price.input) +
    (output - reasoning) * price.output +
    reasoning * (price.reasoning ?? price.output);
  return usd / MTOK;
}
