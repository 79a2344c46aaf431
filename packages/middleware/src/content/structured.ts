/**
 * Truncation of structured captured content (GenAI messages, system instructions, JSON tool
 * arguments and results) that keeps it valid JSON of the same shape.
 *
 * The rule: the value is copied into a bounded tree (at most about `max` nodes, 32 levels, names
 * and identifiers cut to 256 characters). If its JSON is longer than `max`, the TEXT strings in it
 * (a part's `content`, tool arguments and responses, every string of a plain JSON value) are cut to
 * one common length, the largest that keeps the whole JSON within `max` plus one truncation marker;
 * each cut text ends with `…[truncated N chars]`. When even empty texts do not fit, entries are
 * dropped from the longest list (the oldest messages of a message list, else the last entries; or,
 * failing that, from the largest object) until they do.
 * Identifiers (`role`, `type`, `id`, `finish_reason`, `mime_type`, `modality`) and object keys are
 * never cut below 256 characters nor given to the redaction hook; every text is, after its cut.
 */

import { clipText } from "../langchain/values.js";

/** A string the truncation may cut and the redaction hook rewrites. */
class Text {
  constructor(readonly value: string) {}
}

/** An object, as its entries in order. `free` when all its strings are text (no message structure). */
class Obj {
  constructor(
    readonly entries: [string, Node][],
    readonly free: boolean,
  ) {}
}

type Node = null | boolean | number | string | Text | Node[] | Obj;

/** How to read a value: GenAI messages or parts (identifiers kept whole), or any JSON (all strings are text). */
export type Shape = "messages" | "json";

/** Strings under these keys of GenAI messages and parts are identifiers, not text. */
const IDENTIFIER_KEYS = new Set(["role", "type", "id", "finish_reason", "mime_type", "modality"]);
/** Keys of GenAI parts holding arbitrary values: every string below them is text. */
const FREE_KEYS = new Set(["arguments", "response", "content", "server_tool_call", "server_tool_call_response"]);
/** Keys the conventions' message and part schemas require (or name): never dropped from a message or part. */
const SCHEMA_KEYS = new Set([...IDENTIFIER_KEYS, ...FREE_KEYS, "parts", "name", "uri", "file_id"]);
const MAX_DEPTH = 32;

/** The marker a cut text ends with. */
export const truncationMarker = (dropped: number): string => `…[truncated ${dropped} chars]`;

interface Build {
  nodes: number;
  readonly maxNodes: number;
  readonly ancestors: Set<object>;
  /** Something was left out (too many nodes, too deep). */
  dropped: boolean;
}

function build(input: unknown, key: string, free: boolean, depth: number, b: Build): Node | undefined {
  b.nodes++;
  let v = input;
  if (typeof v === "object" && v !== null && typeof (v as { toJSON?: unknown }).toJSON === "function") {
    v = (v as { toJSON(key: string): unknown }).toJSON(key);
  }
  switch (typeof v) {
    case "string":
      return free || !IDENTIFIER_KEYS.has(key) ? new Text(v) : clipText(v);
    case "number":
      return Number.isFinite(v) ? v : null;
    case "boolean":
      return v;
    case "bigint":
      return new Text(v.toString());
    case "object":
      break;
    default:
      return undefined; // undefined, functions and symbols, as JSON.stringify leaves them out
  }
  if (v === null) return null;
  if (b.ancestors.has(v)) return new Text("[Circular]");
  if (depth >= MAX_DEPTH) {
    b.dropped = true;
    return null;
  }
  b.ancestors.add(v);
  try {
    if (Array.isArray(v)) {
      // A message list is read from its latest message: when the nodes run out, the oldest are left out.
      const latestFirst = depth === 0 && !free;
      const items: Node[] = [];
      for (let n = 0; n < v.length; n++) {
        if (b.nodes >= b.maxNodes) {
          b.dropped = true;
          break;
        }
        items.push(child(v, latestFirst ? v.length - 1 - n : n, "", free, depth, b) ?? null);
      }
      return latestFirst ? items.reverse() : items;
    }
    const entries: [string, Node][] = [];
    for (const k of Object.keys(v)) {
      // Out of nodes, a message or part still gets the keys its schema needs (their lists stay empty).
      if (b.nodes >= b.maxNodes && (free || !SCHEMA_KEYS.has(k))) {
        b.dropped = true;
        continue;
      }
      const node = child(v, k, k, free || FREE_KEYS.has(k), depth, b);
      if (node !== undefined) entries.push([clipText(k), node]);
    }
    return new Obj(entries, free);
  } finally {
    b.ancestors.delete(v);
  }
}

/** `parent[at]` as a node; a throwing getter or `toJSON` gives "[unserializable]". */
function child(parent: object, at: string | number, key: string, free: boolean, depth: number, b: Build): Node | undefined {
  try {
    return build((parent as Record<string | number, unknown>)[at], key, free, depth + 1, b);
  } catch {
    return new Text("[unserializable]");
  }
}

const isHighSurrogate = (code: number) => (code & 0xfc00) === 0xd800;
const isLowSurrogate = (code: number) => (code & 0xfc00) === 0xdc00;

/** Characters `s.slice(0, end)` takes inside a JSON string (quotes excluded). */
function escapedLength(s: string, end = s.length): number {
  let n = end;
  for (let i = 0; i < end; i++) {
    const c = s.charCodeAt(i);
    if (c === 0x22 || c === 0x5c || c === 0x08 || c === 0x09 || c === 0x0a || c === 0x0c || c === 0x0d) n += 1;
    else if (c < 0x20) n += 5;
    else if (isHighSurrogate(c) && i + 1 < end && isLowSurrogate(s.charCodeAt(i + 1))) i++;
    else if (isHighSurrogate(c) || isLowSurrogate(c)) n += 5; // a lone surrogate is written as \uXXXX
  }
  return n;
}

/** Where to cut `s` to keep at most `keep` characters, never inside a surrogate pair. */
function cutAt(s: string, keep: number): number {
  return keep > 0 && keep < s.length && isHighSurrogate(s.charCodeAt(keep - 1)) ? keep - 1 : keep;
}

/** JSON length of `node`, with `leaf` giving each text's length (quotes included). */
function measure(node: Node, leaf: (t: Text) => number): number {
  if (node instanceof Text) return leaf(node);
  if (typeof node === "string") return escapedLength(node) + 2;
  if (Array.isArray(node)) {
    let n = 2 + Math.max(0, node.length - 1);
    for (const item of node) n += measure(item, leaf);
    return n;
  }
  if (node instanceof Obj) {
    let n = 2 + Math.max(0, node.entries.length - 1);
    for (const [k, v] of node.entries) n += escapedLength(k) + 3 + measure(v, leaf);
    return n;
  }
  return JSON.stringify(node).length;
}

function render(node: Node, leaf: (t: Text) => string): string {
  if (node instanceof Text) return JSON.stringify(leaf(node));
  if (Array.isArray(node)) return `[${node.map((item) => render(item, leaf)).join(",")}]`;
  if (node instanceof Obj) return `{${node.entries.map(([k, v]) => `${JSON.stringify(k)}:${render(v, leaf)}`).join(",")}}`;
  return JSON.stringify(node);
}

function texts(node: Node, out: Text[] = []): Text[] {
  if (node instanceof Text) out.push(node);
  else if (Array.isArray(node)) for (const item of node) texts(item, out);
  else if (node instanceof Obj) for (const [, v] of node.entries) texts(v, out);
  return out;
}

/** Length of a text cut to nothing: its quotes and, if it had any text, the marker. */
const emptiedLength = (t: Text) => 2 + (t.value.length > 0 ? truncationMarker(t.value.length).length : 0);

/**
 * Drops entries worth at least `excess` characters (emptied) from the end of the longest list (from
 * the start of a message list, `oldestFirst`: the latest messages matter most), or, with no list
 * left to shorten, from the largest object entries the schema does not need. False when nothing
 * can be dropped.
 */
function dropSome(root: Node, excess: number, oldestFirst: boolean): boolean {
  let list: Node[] | undefined;
  let obj: Obj | undefined;
  const visit = (node: Node) => {
    if (Array.isArray(node)) {
      if (node.length > 0 && (list === undefined || node.length > list.length)) list = node;
      for (const item of node) visit(item);
    } else if (node instanceof Obj) {
      const droppable = node.free ? node.entries.length : node.entries.filter(([k]) => !SCHEMA_KEYS.has(k)).length;
      if (droppable > 0 && (obj === undefined || node.entries.length > obj.entries.length)) obj = node;
      for (const [, v] of node.entries) visit(v);
    }
  };
  visit(root);
  let removed = 0;
  if (list !== undefined) {
    const fromStart = oldestFirst && list === root;
    while (list.length > 0 && removed < excess) removed += measure((fromStart ? list.shift() : list.pop()) as Node, emptiedLength) + 1;
    return true;
  }
  if (obj !== undefined) {
    const entries = obj.entries;
    for (let i = entries.length - 1; i >= 0 && removed < excess; i--) {
      const [k, v] = entries[i] as [string, Node];
      if (!obj.free && SCHEMA_KEYS.has(k)) continue;
      removed += escapedLength(k) + 4 + measure(v, emptiedLength);
      entries.splice(i, 1);
    }
    return true;
  }
  return false;
}

/**
 * The common length texts are cut to so the JSON fits in `limit` (infinite when it fits in `max`
 * uncut); `undefined` when no cut fits.
 */
function commonCut(root: Node, max: number, limit: number): number | undefined {
  const leaves = texts(root);
  const overhead = measure(root, () => 2);
  const full = new Map<Text, number>();
  const cost = (keep: number): number => {
    let n = overhead;
    for (const t of leaves) {
      const s = t.value;
      if (s.length <= keep) {
        let length = full.get(t);
        if (length === undefined) full.set(t, (length = escapedLength(s)));
        n += length;
      } else {
        const end = cutAt(s, keep);
        n += escapedLength(s, end) + truncationMarker(s.length - end).length;
      }
      if (n > limit) return n;
    }
    return n;
  };
  let longest = 0;
  for (const t of leaves) longest = Math.max(longest, t.value.length);
  if (cost(longest) <= max) return Number.POSITIVE_INFINITY;
  if (cost(0) > limit) return undefined;
  // The largest cut that fits, the longest text cut by at least one character.
  let lo = 0;
  let hi = Math.max(0, longest - 1);
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (cost(mid) <= limit) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}

/** Captured structured content: its JSON, and whether anything was cut or left out. */
export interface StructuredCapture {
  json: string;
  truncated: boolean;
}

/**
 * `value` as JSON of at most `max` characters plus one marker (see the rule above), each text
 * passed through `redact` after its cut; `undefined` when `redact` gives `undefined` for any text.
 */
export function captureStructured(
  value: unknown,
  shape: Shape,
  max: number,
  redact: (text: string) => string | undefined,
): StructuredCapture | undefined {
  const b: Build = { nodes: 0, maxNodes: Math.max(16, max + 32), ancestors: new Set(), dropped: false };
  let root: Node;
  try {
    root = build(value, "", shape === "json", 0, b) ?? null;
  } catch {
    root = new Text("[unserializable]");
  }
  let keep = Number.POSITIVE_INFINITY;
  let truncated = b.dropped;
  if (truncated || measure(root, (t) => t.value.length + 2) > max || measure(root, (t) => escapedLength(t.value) + 2) > max) {
    let longest = 0;
    for (const t of texts(root)) longest = Math.max(longest, t.value.length);
    const limit = longest > 0 ? max + truncationMarker(longest).length : max;
    for (;;) {
      const cut = commonCut(root, max, limit);
      if (cut !== undefined) {
        keep = cut;
        break;
      }
      // Even empty texts do not fit: drop entries and try again (or, with nothing left to drop, emit it all cut).
      truncated = true;
      if (!dropSome(root, measure(root, emptiedLength) - limit, shape === "messages")) {
        keep = 0;
        break;
      }
    }
    if (keep < longest) truncated = true;
  }
  const redacted = new Map<Text, string>();
  for (const t of texts(root)) {
    const s = t.value;
    let out = s;
    if (s.length > keep) {
      const end = cutAt(s, keep);
      out = `${s.slice(0, end)}${truncationMarker(s.length - end)}`;
    }
    const r = out === "" ? "" : redact(out);
    if (r === undefined) return undefined;
    redacted.set(t, r);
  }
  return { json: render(root, (t) => redacted.get(t) ?? ""), truncated };
}
