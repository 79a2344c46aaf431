import { createRequire } from "node:module";

import { diag } from "@opentelemetry/api";
import type { Tiktoken } from "js-tiktoken/lite";

import type { TokenCounts } from "../langchain/llm-payload.js";
import { messagesText, outputText } from "../langchain/messages.js";
import { dict } from "../langchain/values.js";
import { keepWarm, warmUp } from "../util/warm-up.js";

const require = createRequire(import.meta.url);
let encoder: Tiktoken | undefined;

/** The o200k_base tokenizer (building it from its ranks takes about a second: see {@link readyTokenizer}). */
function tokenizer(): Tiktoken {
  if (encoder === undefined) {
    const { Tiktoken: TiktokenClass } = require("js-tiktoken/lite") as typeof import("js-tiktoken/lite");
    const ranks = require("js-tiktoken/ranks/o200k_base") as { default?: unknown } & Record<string, unknown>;
    encoder = new TiktokenClass((ranks.default ?? ranks) as ConstructorParameters<typeof TiktokenClass>[0]);
  }
  return encoder;
}

/** Characters encoded: the tokens of a longer text are extrapolated from its first ones. */
const MAX_ENCODED = 16_384;
/** BPE is quadratic in the length of a word: a longer run of non-space (or space) characters is encoded in slices. */
const MAX_RUN = 32;
const LONG_RUN = /\S{33,}|\s{33,}/g; // longer than MAX_RUN

/**
 * Tokens in `text` by the o200k_base encoding (GPT-4o's); an estimate for other models. Its cost
 * is bounded whatever the text: a 5 MB prompt, or a base64 blob that is one long word.
 */
export function countTokens(text: string): number {
  if (text === "") return 0;
  const sample = text.length > MAX_ENCODED ? text.slice(0, MAX_ENCODED) : text;
  const encoder = tokenizer();
  let tokens = 0;
  let at = 0;
  for (const run of sample.matchAll(LONG_RUN)) {
    tokens += encoder.encode(sample.slice(at, run.index)).length;
    for (let i = 0; i < run[0].length; i += MAX_RUN) tokens += encoder.encode(run[0].slice(i, i + MAX_RUN)).length;
    at = run.index + run[0].length;
  }
  tokens += encoder.encode(sample.slice(at)).length;
  return sample === text ? tokens : Math.round((tokens * text.length) / sample.length);
}

/** Tokens of a model call estimated with the tokenizer from its prompt and completion text (when the provider reports none). */
export function estimateUsage(prompt: unknown, output: unknown): TokenCounts {
  return { input: countTokens(messagesText(prompt)), output: countTokens(outputText(dict(output).generations)) };
}

let ready = false;

/**
 * Builds the tokenizer now (about a second of CPU, once per process: js-tiktoken decodes 200k
 * base64 ranks into maps) and compiles its split regex for both string widths, keeping it
 * compiled. The handler calls this when it is made, so no model call's end pays for it: the
 * estimate is made synchronously as the call's span ends, so it cannot wait for a worker.
 */
export function readyTokenizer(): void {
  if (ready) return;
  ready = true;
  try {
    tokenizer();
  } catch (error) {
    diag.warn("agentwatch: the js-tiktoken tokenizer did not load; token estimates will fail", error);
    return;
  }
  warmUp(countTokens);
  keepWarm(countTokens);
}
