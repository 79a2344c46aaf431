import { createHash } from "node:crypto";

import { safeJson } from "../content/capture.js";
import { serializedClass } from "./llm-payload.js";
import { clipText, dict, text } from "./values.js";

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
  if (kwargs === undefined || kwargs === null || typeof kwargs !== "object") return undefined;
  // LangChain serializes a template anew for every run, but from the same (immutable) message
  // template objects: a template whose parts are the very objects of a hashed one has its hash,
  // without serializing it again (which calls every part's toJSON).
  const parts = templateParts(kwargs as Record<string, unknown>);
  const anchor = parts.find((p): p is object => typeof p === "object" && p !== null);
  const known = anchor === undefined ? undefined : hashesByPart.get(anchor);
  if (known !== undefined && sameParts(known.parts, parts)) return known.hash;
  const json = safeJson(kwargs);
  let hash = recentHashes.get(json);
  if (hash === undefined) {
    hash = createHash("sha256").update(json).digest("hex").slice(0, 12);
    if (recentHashes.size >= MAX_CACHED_HASHES) recentHashes.clear();
    recentHashes.set(json, hash);
  }
  if (anchor !== undefined) hashesByPart.set(anchor, { parts, hash });
  return hash;
}

/** A serialized template's keys and values, arrays opened one level: what identifies it. */
function templateParts(kwargs: Record<string, unknown>): unknown[] {
  const parts: unknown[] = [];
  for (const key of Object.keys(kwargs)) {
    const value = kwargs[key];
    parts.push(key);
    if (Array.isArray(value)) parts.push(value.length, ...value);
    else parts.push(value);
  }
  return parts;
}

function sameParts(a: unknown[], b: unknown[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** Templates seen recently → their hash: an app has a handful of templates, each used on every call. */
const recentHashes = new Map<string, string>();
const MAX_CACHED_HASHES = 256;
/** A template's first object part → its parts and hash (weak: templates that are gone are forgotten). */
const hashesByPart = new WeakMap<object, { parts: unknown[]; hash: string }>();

/** Prompt name and version from run metadata: `prompt_name` / `prompt_version`, else LangChain Hub's repo and commit. */
export function promptLabels(metadata: Record<string, unknown>): PromptInfo {
  const info: PromptInfo = {};
  const name = text(metadata.prompt_name, metadata.lc_hub_repo);
  const version = text(metadata.prompt_version, metadata.lc_hub_commit_hash);
  if (name !== undefined) info.name = clipText(name);
  if (version !== undefined) info.version = clipText(version);
  return info;
}
