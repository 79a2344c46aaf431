import { BadInputError } from "../bad-input-error.js";

/** A target module that cannot be loaded or used: the message names the module and the fix. */
export class TargetError extends BadInputError {
  override name = "TargetError";
}
