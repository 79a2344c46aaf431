import type { Guard } from "../util/callback-guard.js";

/**
 * Work queued per key and run one item at a time in order (a conversation's turn is written
 * before its outcome is decided), at most `maxItems` items queued or running at once over all
 * keys: more is dropped and reported through `onOverflow`.
 */
export class SerialQueues {
  private readonly tails = new Map<string, Promise<void>>();
  private items = 0;

  constructor(
    private readonly maxItems: number,
    private readonly onOverflow: () => void,
    private readonly guard: Guard,
  ) {}

  /** Queues `work` after the work already queued for `key`; false if there was no room. */
  add(key: string, work: () => Promise<void>): boolean {
    const previous = this.tails.get(key);
    if (this.items >= this.maxItems) {
      this.onOverflow();
      return false;
    }
    this.items++;
    const tail: Promise<void> = (previous ?? Promise.resolve())
      .then(work)
      .catch((error: unknown) => this.guard.report("outcomes", error))
      .finally(() => {
        this.items--;
        if (this.tails.get(key) === tail) this.tails.delete(key);
      });
    this.tails.set(key, tail);
    return true;
  }

  /** Resolves when no key has work queued. */
  async idle(): Promise<void> {
    while (this.tails.size > 0) await Promise.all([...this.tails.values()]);
  }
}
