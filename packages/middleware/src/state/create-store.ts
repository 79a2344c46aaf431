import { MemoryStore } from "./memory-store.js";
import { RedisStore, type RedisStoreOptions } from "./redis-store.js";
import type { SharedStore } from "./types.js";

/** Settings of {@link createSharedStore}. */
export interface SharedStoreOptions extends Partial<RedisStoreOptions> {
  /** Where `REDIS_URL` is read when `url` is left out. Default: process.env. */
  env?: Record<string, string | undefined>;
}

/**
 * The store for shared state: a {@link RedisStore} when `url` (or the `REDIS_URL` environment
 * variable) is set, else the in-process {@link MemoryStore}. Pass it to every handler of the
 * process as `store`, and close it at shutdown.
 */
export function createSharedStore(options: SharedStoreOptions = {}): SharedStore {
  const { env = process.env, url: given, ...redis } = options;
  const url = given ?? env.REDIS_URL;
  if (url === undefined || url.trim() === "") return new MemoryStore();
  if (!/^rediss?:\/\//.test(url)) {
    throw new TypeError(
      `agentwatch: the Redis URL ${JSON.stringify(url)} ${given === undefined ? "(REDIS_URL) " : ""}is not a redis:// or rediss:// URL: ` +
        "set it to e.g. redis://127.0.0.1:6379, or leave it unset for the in-process store",
    );
  }
  return new RedisStore({ ...redis, url });
}
