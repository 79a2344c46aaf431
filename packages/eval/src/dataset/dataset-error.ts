import { BadInputError } from "../bad-input-error.js";

/** A dataset that cannot be used: the message names the file, the line, the field and the fix. */
export class DatasetError extends BadInputError {
  override name = "DatasetError";
  /** The 1-based line of the dataset file, or undefined when the file itself is the problem. */
  readonly line: number | undefined;
  /** The case field at fault, or undefined when the whole line is. */
  readonly field: string | undefined;

  constructor(message: string, location: { line?: number; field?: string } = {}) {
    super(message);
    this.line = location.line;
    this.field = location.field;
  }
}
