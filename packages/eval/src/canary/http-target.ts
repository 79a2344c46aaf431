// Calling an agent over HTTP for a canary check: POST a JSON body naming the question, with the
// synthetic header, and read the answer from a (dotted) field of the JSON reply.

import { SYNTHETIC } from "@agentwatch/middleware";

import type { HttpCanaryTarget } from "./types.js";

/** The value at a dotted `path` of `value` ("data.answer"), or undefined. */
function at(value: unknown, path: string): unknown {
  let v = value;
  for (const key of path.split(".")) {
    if (typeof v !== "object" || v === null) return undefined;
    v = (v as Record<string, unknown>)[key];
  }
  return v;
}

/** Asks `target` the question; the answer's text. Throws an Error saying what went wrong (status, body, field). */
export async function askOverHttp(target: HttpCanaryTarget, question: string, signal: AbortSignal): Promise<string> {
  const questionField = target.questionField ?? "message";
  const answerField = target.answerField ?? "answer";
  const res = await fetch(target.url, {
    method: "POST",
    headers: { "content-type": "application/json", accept: "application/json", ...target.headers, [SYNTHETIC.header]: "1" },
    body: JSON.stringify({ ...target.body, [questionField]: question }),
    signal,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`HTTP ${res.status} from ${target.url}: ${text.slice(0, 200)}`);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new Error(`${target.url} answered ${res.status} with a body that is not JSON: ${text.slice(0, 200)}`);
  }
  const answer = at(body, answerField);
  if (typeof answer !== "string") {
    throw new Error(`${target.url}'s reply has no string field "${answerField}" (set answerField to the field holding the answer)`);
  }
  return answer;
}
