// Trace files (OTLP JSON) into candidate-case JSONL lines.

import { readFile } from "node:fs/promises";

import { type Candidate, candidateCases } from "./candidate-case.js";
import { parseOtlpJson, TraceFormatError } from "./otlp-json.js";

/** The candidates of every file, in order; throws TraceFormatError naming the file at fault. */
export async function candidatesFromFiles(paths: string[]): Promise<Candidate[]> {
  const all: Candidate[] = [];
  for (const path of paths) {
    let text: string;
    try {
      text = await readFile(path, "utf8");
    } catch (error) {
      throw new TraceFormatError(`${path} cannot be read (${(error as NodeJS.ErrnoException).code ?? String(error)})`);
    }
    all.push(...candidateCases(parseOtlpJson(text, path), path));
  }
  return all;
}

/** One dataset line: the case as JSON, keys in the dataset's usual order. */
export function candidateLine(candidate: Candidate): string {
  const { id, input, reference, tools, tags } = candidate.case;
  return JSON.stringify({ id, input, ...(reference === undefined ? {} : { reference }), ...(tools === undefined ? {} : { tools }), tags });
}
