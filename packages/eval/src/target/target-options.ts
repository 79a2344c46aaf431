import type { PromptRef } from "../types.js";
import { TargetError } from "./target-error.js";
import type { TargetOptions } from "./types.js";

const FUNCTIONS = ["input", "output"] as const;
const STRINGS = ["inputKey", "outputKey"] as const;

/** Checks a target module's `options` export; throws a {@link TargetError} naming the field and the fix. */
export function checkTargetOptions(module: string, value: unknown): TargetOptions {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    throw new TargetError(
      `${module}: "options" must be an object, e.g. export const options = { prompt: { name: "support", version: "3" } }`,
    );
  }
  const options = value as TargetOptions;
  const prompt = options.prompt as Partial<PromptRef> | undefined;
  if (
    prompt !== undefined &&
    (typeof prompt?.name !== "string" || typeof prompt?.version !== "string" || prompt.name === "" || prompt.version === "")
  ) {
    throw new TargetError(`${module}: options.prompt must be { name: string, version: string }, e.g. { name: "support", version: "3" }`);
  }
  for (const key of FUNCTIONS) {
    if (options[key] !== undefined && typeof options[key] !== "function")
      throw new TargetError(`${module}: options.${key} must be a function`);
  }
  for (const key of STRINGS) {
    if (options[key] !== undefined && (typeof options[key] !== "string" || options[key] === "")) {
      throw new TargetError(`${module}: options.${key} must be a non-empty string, e.g. "messages"`);
    }
  }
  if (options.embeddings !== undefined && typeof (options.embeddings as { embedQuery?: unknown }).embedQuery !== "function") {
    throw new TargetError(`${module}: options.embeddings must be a LangChain Embeddings (with embedQuery), e.g. new OpenAIEmbeddings()`);
  }
  const judge = options.judge;
  if (judge !== undefined && typeof judge?.model?.invoke !== "function") {
    throw new TargetError(`${module}: options.judge.model must be a LangChain chat model (with invoke), e.g. { model: new ChatOpenAI() }`);
  }
  if (judge?.runs !== undefined && (!Number.isInteger(judge.runs) || judge.runs < 1)) {
    throw new TargetError(`${module}: options.judge.runs must be a whole number of at least 1, e.g. 3`);
  }
  if (options.evaluators !== undefined && !Array.isArray(options.evaluators)) {
    throw new TargetError(`${module}: options.evaluators must be an array of evaluators ({ name, appliesTo, evaluate })`);
  }
  return options;
}
