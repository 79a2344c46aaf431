/**
 * Bad input from the user (a dataset, a target module, a flag, a baseline file): the CLI prints the
 * message, which names what is wrong and the fix, and exits with `EXIT.badInput` (2).
 */
export class BadInputError extends Error {
  override name = "BadInputError";
}
