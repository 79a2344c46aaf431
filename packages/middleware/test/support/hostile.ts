/**
 * Seeded generators of hostile callback input for fuzz tests: every value is reproducible from the
 * seed, so a failing seed can be replayed (`AGENTWATCH_FUZZ_SEED=<seed>`).
 */

/** What the hostile getters and proxies throw: any other error leaving agentwatch is agentwatch's own. */
export class HostileGetterError extends Error {
  override name = "HostileGetterError";
}

const MB = 1 << 20;
/** 1 MB without a single space: one "word", the worst case for a BPE tokenizer. */
export const HUGE_WORD = "antidisestablishmentarianism".repeat(Math.ceil(MB / 28)).slice(0, MB);
/** 1 MB of everything that needs escaping somewhere: quotes, backslashes, newlines, unicode, JSON and exposition syntax. */
export const HUGE_MIXED = 'a"b\\c\nd\r\te}{,=# EOF\u2028😀ünï\u0000 '.repeat(Math.ceil(MB / 29)).slice(0, MB);

/** Keys LangChain payloads are read by; a hostile object makes reading each of them throw. */
const PAYLOAD_KEYS = [
  "id",
  "name",
  "kwargs",
  "lc_serializable",
  "content",
  "messages",
  "generations",
  "llmOutput",
  "message",
  "text",
  "type",
  "role",
  "getType",
  "_getType",
  "tool_calls",
  "usage_metadata",
  "response_metadata",
  "metadata",
  "pageContent",
  "invocation_params",
  "langgraph_node",
  "langgraph_step",
  "ls_provider",
  "ls_model_name",
  "agent_name",
  "feature",
  "thread_id",
  "prompt_name",
  "prompt_version",
  "is_bubble_up",
  "status",
  "statusCode",
  "code",
  "stack",
  "toJSON",
  "event",
  "guardrail",
  "stage",
  "outcome",
  "findings",
];

/** An object whose every payload key is a getter that throws. */
export function throwingGetters(): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const key of PAYLOAD_KEYS) {
    Object.defineProperty(o, key, {
      enumerable: true,
      get() {
        throw new HostileGetterError(`getter ${key}`);
      },
    });
  }
  return o;
}

/** A proxy on which every operation (get, has, keys, prototype, instanceof) throws. */
export function throwingProxy(target: object = {}): object {
  const fail = (): never => {
    throw new HostileGetterError("proxy trap");
  };
  return new Proxy(target, {
    get: fail,
    has: fail,
    ownKeys: fail,
    getPrototypeOf: fail,
    getOwnPropertyDescriptor: fail,
    set: fail,
    defineProperty: fail,
    deleteProperty: fail,
  });
}

/** An Error whose message, name and stack getters throw. */
export function throwingError(): Error {
  const e = new Error("placeholder");
  // "stack" first: redefining it formats the captured trace, which reads `name`.
  for (const key of ["stack", "code", "message", "name"]) {
    Object.defineProperty(e, key, {
      get() {
        throw new HostileGetterError(`error.${key}`);
      },
    });
  }
  return e;
}

export function cyclic(): Record<string, unknown> {
  const o: Record<string, unknown> = { content: "loop", id: ["x", "Loop"] };
  o.self = o;
  o.messages = [o, [o]];
  o.generations = [[{ text: "t", message: o }]];
  o.tool_calls = [o];
  return o;
}

/** `{ a: { a: { ... } } }`, `depth` levels deep (deeper than JSON.stringify's stack at 100k). */
export function deep(depth: number): Record<string, unknown> {
  let o: Record<string, unknown> = { leaf: true };
  for (let i = 0; i < depth; i++) o = { a: o };
  return o;
}

const DEEP_SHALLOW = deep(500);
const DEEP_ABYSS = deep(100_000);

/** Strings that break naive escaping, slicing or parsing. */
export const NASTY_STRINGS = [
  "",
  " ",
  "r1",
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "line\nbreak",
  'quo"te',
  "back\\slash",
  "\\n",
  '\\"',
  "tab\tcr\r",
  "nul\u0000byte",
  "\uD800",
  "lone\uDC00low",
  "😀👩‍👩‍👧",
  "\u202Ertl",
  "\u2028\u2029",
  "} # EOF\n",
  'a="b",c="d"',
  "langsmith:hidden",
  "__start__",
  "GraphInterrupt",
  "ChatOpenAI",
  "x".repeat(300),
  HUGE_WORD,
  HUGE_MIXED,
];

/** A seeded source of hostile values and LangChain-shaped payloads with hostile leaves. */
export class HostileValues {
  constructor(readonly random: () => number) {}

  int(n: number): number {
    return Math.floor(this.random() * n);
  }

  chance(p: number): boolean {
    return this.random() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)] as T;
  }

  /** A string: mostly short, sometimes nasty, rarely 1 MB. */
  string(): string {
    const r = this.random();
    if (r < 0.02) return this.pick([HUGE_WORD, HUGE_MIXED]);
    if (r < 0.4) return this.pick(NASTY_STRINGS.slice(0, -2));
    return `s${this.int(1000)}`;
  }

  /** Anything: a primitive of any type, a hostile object, a nested structure. */
  value(depth = 0): unknown {
    const r = this.int(depth > 2 ? 20 : 27);
    switch (r) {
      case 0:
        return undefined;
      case 1:
        return null;
      case 2:
        return this.pick([true, false]);
      case 3:
        return this.pick([0, -0, 1, -1, 3.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, Number.MAX_VALUE, 2 ** 53]);
      case 4:
        return this.pick([10n, -(2n ** 70n)]);
      case 5:
        return this.pick([Symbol("hostile"), Symbol.iterator]);
      case 6:
      case 7:
      case 8:
        return this.string();
      case 9:
        return throwingGetters();
      case 10:
        return throwingProxy(this.chance(0.5) ? [] : {});
      case 11:
        return cyclic();
      case 12:
        return this.pick([DEEP_SHALLOW, DEEP_ABYSS]);
      case 13:
        return this.pick([() => 1, function named() {}, class Hostile {}]);
      case 14:
        return this.pick([
          new Date(Number.NaN),
          /re/g,
          new Map([[1, 2]]),
          new Set([1]),
          new Uint8Array(3),
          Object.create(null),
          Object.freeze({}),
        ]);
      case 15:
        return this.error();
      case 16:
        return this.pick([[], [[]], new Array(3), [undefined, null]]);
      case 17:
        return { toJSON: () => this.pick([undefined, 10n, "ok"]) };
      case 18:
        return { toString: () => ({}), valueOf: () => ({}) };
      case 19:
        return { [Symbol("key")]: 1, "\u0000": "nul key" };
      default: {
        if (this.chance(0.5)) return Array.from({ length: this.int(4) }, () => this.value(depth + 1));
        const o: Record<string, unknown> = {};
        for (let i = this.int(4); i > 0; i--) {
          // Own data properties, even for keys like "__proto__" (an assignment would set the prototype).
          const key = this.chance(0.5) ? this.pick(PAYLOAD_KEYS) : this.string().slice(0, 20);
          Object.defineProperty(o, key, { value: this.value(depth + 1), enumerable: true, writable: true, configurable: true });
        }
        return o;
      }
    }
  }

  /** Something thrown: an Error (huge, hostile, control flow), a string, or anything else. */
  error(): unknown {
    switch (this.int(12)) {
      case 0:
        return new Error(this.string());
      case 1:
        return new Error(HUGE_MIXED);
      case 2:
        return Object.assign(new Error("rate limited"), { status: 429, code: this.pick(["rate_limit", { toString: () => ({}) }, 5]) });
      case 3:
        return Object.assign(new Error("x"), { name: this.pick([HUGE_WORD, "GraphInterrupt", 'Bad"Name\n', ""]) });
      case 4:
        return throwingError();
      case 5:
        return throwingProxy(new Error("proxy"));
      case 6:
        return { name: "GraphInterrupt", is_bubble_up: true };
      case 7:
        return { message: HUGE_WORD, name: HUGE_MIXED, stack: HUGE_MIXED, code: Object.create(null) };
      case 8:
        return this.string();
      case 9:
        return throwingGetters();
      case 10:
        return Object.assign(new TypeError(HUGE_WORD), { code: HUGE_WORD });
      default:
        return this.value(3);
    }
  }

  /** `value()` in place of a well-formed `shape` now and then. */
  maybe<T>(shape: () => T, p = 0.15): unknown {
    return this.chance(p) ? this.value() : shape();
  }

  /** A label-ish string: a plausible name, or a nasty one. */
  name(plausible: readonly string[]): unknown {
    return this.maybe(() => (this.chance(0.7) ? this.pick(plausible) : this.string()), 0.1);
  }

  serialized(classes: readonly string[]): unknown {
    return this.maybe(() => ({
      lc: 1,
      type: "constructor",
      id: this.maybe(() => ["langchain", "hostile", this.name(classes)]),
      kwargs: this.maybe(() => ({
        model: this.name(["gpt-4o", "claude-sonnet-4"]),
        description: this.maybe(() => this.string()),
        k: this.maybe(() => this.int(10)),
        template: this.maybe(() => this.string()),
      })),
      name: this.name(["lookup", "search"]),
    }));
  }

  metadata(): unknown {
    return this.maybe(() => {
      const md: Record<string, unknown> = {};
      const keys: [string, () => unknown][] = [
        ["langgraph_node", () => this.name(["agent", "tools", "retrieve"])],
        ["langgraph_step", () => this.maybe(() => this.int(5))],
        ["ls_provider", () => this.name(["openai", "anthropic", "bedrock"])],
        ["ls_model_name", () => this.name(["gpt-4o", "claude-sonnet-4"])],
        ["agent_name", () => this.name(["support", "billing"])],
        ["feature", () => this.name(["search", "chat"])],
        ["tenant", () => this.name(["acme"])],
        ["thread_id", () => this.name(["t1"])],
        ["user_id", () => this.name(["u1"])],
        ["session_id", () => this.name(["s1"])],
        ["prompt_name", () => this.name(["support-prompt"])],
        ["prompt_version", () => this.name(["v1", "v2"])],
        ["ls_retriever_name", () => this.name(["kb"])],
        ["ls_vector_store_provider", () => this.name(["memory"])],
        ["top_k", () => this.maybe(() => this.int(10))],
        ["agentwatch_evaluation", () => this.chance(0.05)],
      ];
      for (const [key, make] of keys) if (this.chance(0.3)) md[key] = make();
      return md;
    });
  }

  message(): unknown {
    return this.maybe(() => this.messageShape());
  }

  /** A message-like object (its fields may be hostile; it is not). */
  messageShape(): Record<string, unknown> {
    const m: Record<string, unknown> = {
      content: this.maybe(() => (this.chance(0.7) ? this.string() : [{ type: "text", text: this.string() }, this.value(2)])),
    };
    const kind = this.int(4);
    if (kind === 0) m.type = this.name(["human", "ai", "system", "tool", "developer"]);
    else if (kind === 1) m.role = this.name(["user", "assistant", "system"]);
    else if (kind === 2) {
      const type = this.pick(["human", "ai", "system"]);
      m._getType = () => type;
    }
    if (this.chance(0.2)) m.tool_calls = this.maybe(() => [{ id: this.string(), name: this.string(), args: this.value(1) }]);
    if (this.chance(0.1)) m.tool_call_id = this.value(2);
    return m;
  }

  messages(): unknown {
    return this.maybe(() => [Array.from({ length: 1 + this.int(3) }, () => this.message())]);
  }

  llmResult(): unknown {
    return this.maybe(() => ({
      generations: this.maybe(() => [
        Array.from({ length: this.int(3) }, () => ({
          text: this.maybe(() => this.string()),
          message: this.maybe(() => ({
            ...this.messageShape(),
            id: this.maybe(() => this.string()),
            response_metadata: this.maybe(() => ({
              finish_reason: this.name(["stop", "tool_calls"]),
              model_name: this.name(["gpt-4o-2024-08-06"]),
              system_fingerprint: this.name(["fp_1"]),
            })),
            usage_metadata: this.chance(0.5)
              ? undefined
              : this.maybe(() => ({ input_tokens: this.maybe(() => this.int(100)), output_tokens: this.maybe(() => this.int(100)) })),
          })),
          generationInfo: this.maybe(() => ({ finish_reason: this.name(["stop"]) })),
        })),
      ]),
      llmOutput: this.maybe(() => ({ tokenUsage: this.maybe(() => ({ promptTokens: this.int(9), completionTokens: this.value(2) })) })),
    }));
  }

  documents(): unknown {
    return this.maybe(() =>
      Array.from({ length: this.int(4) }, () =>
        this.maybe(() => ({
          pageContent: this.maybe(() => this.string()),
          metadata: this.maybe(() => ({ id: this.value(2), score: this.maybe(() => this.random()) })),
        })),
      ),
    );
  }

  extraParams(): unknown {
    return this.maybe(() => ({
      invocation_params: this.maybe(() => ({
        model: this.name(["gpt-4o"]),
        temperature: this.maybe(() => this.random()),
        stop: this.maybe(() => [this.string(), this.string()]),
      })),
    }));
  }

  tags(): unknown {
    return this.maybe(() => (this.chance(0.2) ? ["langsmith:hidden"] : [this.string()]));
  }

  guardrailRecord(): unknown {
    return this.maybe(() => ({
      guardrail: this.name(["pii", "moderation"]),
      stage: this.name(["input", "output"]),
      outcome: this.name(["pass", "flag", "block"]),
      reason: this.maybe(() => this.string()),
      score: this.maybe(() => this.random()),
      findings: this.maybe(() => [{ detector: this.string(), type: this.string(), start: 0, end: this.value(1) }]),
    }));
  }
}
