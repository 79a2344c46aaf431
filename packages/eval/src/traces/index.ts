// Production back into the dataset: traces (OTLP JSON) into candidate cases.

export { type Candidate, type CandidateCase, candidateCases } from "./candidate-case.js";
export { parseOtlpJson, TraceFormatError, type TraceSpan } from "./otlp-json.js";
export { candidateLine, candidatesFromFiles } from "./trace-files.js";
