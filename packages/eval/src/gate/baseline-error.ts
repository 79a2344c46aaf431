// The error of a baseline file that cannot be read, naming the file and the field.

export class BaselineError extends Error {
  override readonly name = "BaselineError";
  constructor(
    readonly path: string,
    /** The field at fault, e.g. `scores["refund-1"]["facts"]`, or "" for the whole file. */
    readonly field: string,
    problem: string,
  ) {
    super(`baseline ${path}${field === "" ? "" : `: ${field}`} ${problem}`);
  }
}
