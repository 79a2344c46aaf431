/** Retrieved documents kept per run for its evaluation sample. */
export const MAX_SAMPLE_DOCS = 8;
/** Characters kept of each text of an evaluation sample. */
const MAX_SAMPLE_CHARS = 4000;

/** `value` cut to what an evaluation sample keeps of a text. */
export function clipSample(value: string): string {
  return value.length > MAX_SAMPLE_CHARS ? value.slice(0, MAX_SAMPLE_CHARS) : value;
}
