import { createRequire } from "node:module";
import type { Tiktoken } from "js-tiktoken/lite";

const require = createRequire(import.meta.url);
let encoder: Tiktoken | undefined;

/** The o200k_base tokenizer, loaded on first use (its ranks are large, and most calls report usage). */
function tokenizer(): Tiktoken {
  if (encoder === undefined) {
    const { Tiktoken: TiktokenClass } = require("js-tiktoken/lite") as typeof import("js-tiktoken/lite");
    const ranks = require("js-tiktoken/ranks/o200k_base") as { default?: unknown } & Record<string, unknown>;
    encoder = new TiktokenClass((ranks.default ?? ranks) as ConstructorParameters<typeof TiktokenClass>[0]);
  }
  return encoder;
}

/** Tokens in `text` by the o200k_base encoding (GPT-4o's); an estimate for other models. */
export function countTokens(text: string): number {
  if (text === "") return 0;
  return tokenizer().encode(text).length;
}
