import { createHash } from "node:crypto";
import { safeJson } from "./content.js";
import { serializedClass } from "./llm-payload.js";
import { dict, text } from "./values.js";

/** Which prompt produced a model call: its name and version (from run metadata) and a hash of its template. */
export interface PromptInfo {
  name?: string;
  version?: string;
  hash?: string;
}

/** Whether a serialized LangChain runnable is a prompt template (ChatPromptTemplate, PromptTemplate, ...). */
export function isPromptTemplate(serialized: unknown): boolean {
  const cls = serializedClass(serialized);
  if (cls !== undefined && /PromptTemplate$|^StructuredPrompt$/.test(cls)) return true;
  const id = dict(serialized).id;
  return Array.isArray(id) && id.includes("prompts");
}

/**
 * A short hash of a prompt TEMPLATE: its serialized structure and template text, before user
 * values are filled in (those are the run's inputs, not part of the serialized template). One
 * template version has one hash; a one-word change gives another.
 */
export function templateHash(serialized: unknown): string | undefined {
  const kwargs = dict(serialized).kwargs;
  if (kwargs === undefined) return undefined;
  const json = safeJson(kwargs);
  let hash = recentHashes.get(json);
  if (hash === undefined) {
    hash = createHash("sha256").update(json).digest("hex").slice(0, 12);
    if (recentHashes.size >= MAX_CACHED_HASHES) recentHashes.clear();
    recentHashes.set(json, hash);
  }
  return hash;
}

/** Templates seen recently → their hash: an app has a handful of templates, each used on every call. */
const recentHashes = new Map<string, string>();
const MAX_CACHED_HASHES = 256;

/** Prompt name and version from run metadata: `prompt_name` / `prompt_version`, else LangChain Hub's repo and commit. */
export function promptLabels(metadata: Record<string, unknown>): PromptInfo {
  const info: PromptInfo = {};
  const name = text(metadata.prompt_name, metadata.lc_hub_repo);
  const version = text(metadata.prompt_version, metadata.lc_hub_commit_hash);
  if (name !== undefined) info.name = name;
  if (version !== undefined) info.version = version;
  return info;
}
