/** The kinds of prompt injection {@link PROMPT_INJECTION_RULES} look for. */
export type PromptInjectionCategory = "instruction_override" | "roleplay_jailbreak" | "system_prompt_extraction";

/** One heuristic: a pattern over normalized text and how strongly a match suggests an injection. */
export interface PromptInjectionRule {
  /** Stable id, `category.short_name`. */
  readonly id: string;
  readonly category: PromptInjectionCategory;
  /**
   * Matched against normalized text (NFKC, accents stripped, lowercase, no zero-width characters,
   * single spaces, leetspeak read as letters), so patterns are written in lowercase; flags `iu`.
   */
  readonly pattern: RegExp;
  /** 0..1; the weights of the rules that match combine as 1 - Π(1 - w). */
  readonly weight: number;
}

/** One or more characters that are neither letters nor digits: spaces, punctuation, quotes, dashes. */
const GAP = String.raw`[^\p{L}\p{N}]+`;
/** Like {@link GAP} but may be empty (`instructions:` as well as `instructions :`). */
const OPTIONAL_GAP = String.raw`[^\p{L}\p{N}]*`;
const WORD = String.raw`[\p{L}\p{N}]+`;
/** The end of a word. */
const END = String.raw`(?![\p{L}\p{N}])`;
/** Words a customer uses for their own things ("ignore my previous email"); they do not count as filler. */
const OWN = String.raw`(?:my|our|me|us|i)${END}`;
/** Up to `n` filler words other than {@link OWN} ones, then a gap: "ignore all of the previous instructions". */
const upTo = (n: number) => `(?:${GAP}(?!${OWN})${WORD}){0,${n}}${GAP}`;
/** Up to `n` filler words of any kind, then a gap: "show me the ...", "pretend to be my late grandmother". */
const anyUpTo = (n: number) => `(?:${GAP}${WORD}){0,${n}}${GAP}`;
/** One of several alternatives (each may itself be a pattern). */
const alt = (...options: string[]) => `(?:${options.join("|")})`;
/** The parts in order, as a case-insensitive Unicode regex that starts at the start of a word. */
const seq = (...parts: string[]) => new RegExp(String.raw`(?<![\p{L}\p{N}])` + parts.join(""), "iu");

const IGNORE = alt(
  "ignore",
  "disregard",
  "forget",
  "skip",
  "bypass",
  "override",
  "overrule",
  "discard",
  "neglect",
  "abandon",
  "drop",
  "set aside",
  "put aside",
  "overlook",
  "dismiss",
  "scrap",
  "throw out",
  "nullify",
);
/** What makes "the instructions" the assistant's own: "previous", "system", "your", "all". */
const EARLIER = alt(
  "previous",
  "prior",
  "above",
  "earlier",
  "preceding",
  "foregoing",
  "former",
  "initial",
  "original",
  "existing",
  "current",
  "default",
  "system",
  "developer",
  "safety",
  "all",
  "any",
  "every",
  "your",
  "its",
  "these",
);
const RULES = alt(
  "instructions?",
  "directives?",
  // not "directions to my house"
  `directions(?!${GAP}${alt("to", "for", "from")}${END})`,
  "prompts?",
  "rules?",
  "guidelines?",
  "guidance",
  "commands?",
  "guardrails?",
  "constraints?",
  "restrictions?",
  "programming",
  "training",
  "policies",
  "policy",
  "context",
);
const AI = alt("ai", "assistant", "model", "chat ?bot", "bot", "llm", "language model", "gpt", "chatgpt", "persona", "character", "system");
const UNSAFE = alt(
  "unfiltered",
  "uncensored",
  "unrestricted",
  "unlimited",
  "unbound",
  "unaligned",
  "unchained",
  "unleashed",
  "amoral",
  "immoral",
  "unethical",
  "evil",
  "rogue",
  "jailbroken",
  "lawless",
);
const LIMITS = alt(
  "restrictions?",
  "limits",
  "limitations",
  "rules",
  "filters?",
  "guidelines",
  "censorship",
  "boundaries",
  "ethics",
  "morals",
  "policies",
  "content policy",
  "guardrails",
  "constraints",
  "safeguards",
  "moderation",
);
const SHOW = alt(
  "repeat",
  "print",
  "reveal",
  "show",
  "display",
  "output",
  "tell",
  "give",
  "share",
  "write",
  "dump",
  "leak",
  "disclose",
  "recite",
  "list",
  "spell out",
  "paste",
  "type out",
  "copy",
  "return",
  "quote",
  "echo",
  "expose",
  "summari[sz]e",
  "translate",
);
/** Verbs that, aimed at "your instructions", ask for them to be dumped rather than explained. */
const DUMP = alt("reveal", "dump", "leak", "disclose", "expose", "print", "output", "recite", "spell out", "paste", "copy");
const HIDDEN = alt(
  "system",
  "initial",
  "original",
  "hidden",
  "secret",
  "internal",
  "developer",
  "first",
  "exact",
  "full",
  "complete",
  "confidential",
);
const PROMPT = alt(
  "prompt",
  "pre-?prompt",
  "system prompt",
  "system message",
  "instructions",
  "directives",
  "configuration",
  "config",
  "guidelines",
  "rules",
);
const YOUR = alt("your", "ur", "its", "the assistant's", "the bot's");

/**
 * Prompt-injection heuristics, by category. Weights: ≥ 0.8, the phrase is an injection on its own;
 * 0.5-0.8, suspicious on its own; < 0.5, a phrase benign users also write ("will it void the warranty
 * if I jailbreak it", "new instructions: leave it at the door") that flags only together with
 * another rule. Matching happens on normalized text (see {@link PromptInjectionRule.pattern}).
 */
export const PROMPT_INJECTION_RULES: readonly PromptInjectionRule[] = [
  // instruction_override
  {
    id: "instruction_override.ignore_previous",
    category: "instruction_override",
    pattern: seq(IGNORE, upTo(3), EARLIER, upTo(2), RULES, END),
    weight: 0.9,
  },
  {
    id: "instruction_override.ignore_above",
    category: "instruction_override",
    pattern: seq(IGNORE, upTo(2), alt("above", "everything above", "everything before", "all of the above"), END),
    weight: 0.45,
  },
  {
    id: "instruction_override.ignore_and_instead",
    category: "instruction_override",
    pattern: seq(
      IGNORE,
      upTo(2),
      alt("above", "that", "this", "everything", "all that"),
      GAP,
      alt("and", "then"),
      GAP,
      alt("instead", "just", "only", "now"),
    ),
    weight: 0.6,
  },
  {
    id: "instruction_override.ignore_makers_rules",
    category: "instruction_override",
    pattern: seq(
      IGNORE,
      upTo(2),
      RULES,
      GAP,
      alt("from", "given by", "set by", "of"),
      upTo(1),
      alt("acme", "openai", "anthropic", "your", "the company", "the developers?", "the system", "the admin"),
    ),
    weight: 0.8,
  },
  {
    id: "instruction_override.forget_everything",
    category: "instruction_override",
    pattern: seq(
      alt("forget", "erase", "wipe", "clear", "reset", "ignore", "disregard", "drop", "dismiss"),
      upTo(1),
      alt("everything", "all", "whatever", "anything"),
      upTo(3),
      alt("you", "you've", "you're"),
      GAP,
      alt("were", "have", "had", "know", "learned", "learnt", "been", "got", "are"),
    ),
    weight: 0.8,
  },
  {
    id: "instruction_override.reset_context",
    category: "instruction_override",
    pattern: seq(
      alt("reset", "clear", "wipe", "erase", "flush", "purge", "delete"),
      GAP,
      alt("your", "all your", "ur"),
      GAP,
      alt("context", "memory", "instructions", "programming", "training", "rules", "guidelines", "prompt", "system prompt"),
    ),
    weight: 0.7,
  },
  {
    id: "instruction_override.stop_following",
    category: "instruction_override",
    pattern: seq(
      alt("do not", "don't", "dont", "stop", "no longer", "never again", "quit"),
      GAP,
      alt("follow", "following", "obey", "obeying", "adhere to", "adhering to", "abide by", "respect"),
      upTo(2),
      alt("your", "the", "any", "those", "these", "its"),
      upTo(2),
      RULES,
    ),
    weight: 0.8,
  },
  {
    id: "instruction_override.new_instructions",
    category: "instruction_override",
    pattern: seq(
      alt("new", "updated", "revised", "real", "actual", "true", "secret", "additional"),
      GAP,
      `(?:system${GAP})?`,
      alt("instructions?", "directives?", "rules", "task", "orders", "prompt"),
      OPTIONAL_GAP,
      ":",
    ),
    weight: 0.45,
  },
  {
    id: "instruction_override.new_role",
    category: "instruction_override",
    pattern: seq(
      alt("your", "the assistant's", "the bot's"),
      GAP,
      alt("new", "real", "true", "only"),
      GAP,
      alt("task", "instructions?", "role", "purpose", "goal", "job", "objective", "mission"),
      GAP,
      alt("is", "are", "will be"),
    ),
    weight: 0.6,
  },
  {
    id: "instruction_override.new_system_prompt",
    category: "instruction_override",
    pattern: seq(alt("new", "updated", "revised", "override"), GAP, "system", GAP, alt("prompt", "message", "instructions?")),
    weight: 0.85,
  },
  {
    id: "instruction_override.from_now_on",
    category: "instruction_override",
    pattern: seq(
      alt("from now on", "from this point on", "from this point forward", "from here on"),
      GAP,
      alt("you", "you're", "you'll", "the assistant", "the bot"),
      GAP,
      alt(
        "will",
        "must",
        "shall",
        "should",
        "are",
        "re",
        "ll",
        "have to",
        "only",
        "always",
        "never",
        "answer",
        "respond",
        "reply",
        "act",
        "obey",
      ),
    ),
    weight: 0.45,
  },
  {
    id: "instruction_override.obey_only_me",
    category: "instruction_override",
    pattern: seq(
      alt(
        `${alt("you", "the assistant")}${upTo(2)}${alt("obey", "follow", "listen to", "take orders from")}${GAP}${alt("only me", "me only", "mine")}`,
        `${alt("obey", "follow", "listen to")}${GAP}only${GAP}${alt("me", "my")}${END}`,
      ),
    ),
    weight: 0.6,
  },
  {
    id: "instruction_override.fake_system_marker",
    category: "instruction_override",
    pattern: seq(
      alt(
        String.raw`\[\s*(?:system|admin|developer|sys|inst)\s*\]`,
        String.raw`<\|?\s*/?\s*(?:system|im_start|im_end|assistant|endoftext)\s*\|?>`,
        String.raw`#{2,}\s*(?:system|instruction|new task)`,
        `${alt("system", "admin", "security", "developer", "root")}${GAP}override`,
        `end of ${alt("conversation", "prompt", "system prompt", "instructions")}`,
      ),
    ),
    weight: 0.6,
  },
  {
    id: "instruction_override.pwned",
    category: "instruction_override",
    pattern: seq(
      alt("say", "print", "output", "respond with", "reply with", "write"),
      upTo(2),
      `(?:i have been |i've been )?`,
      alt("pwned", "hacked", "owned"),
    ),
    weight: 0.75,
  },

  // roleplay_jailbreak
  {
    id: "roleplay_jailbreak.dan",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt(
        `${alt("you are", "you're", "you will be", "act as", "respond as", "answer as", "reply as", "be", "called", "named", "known as", "play")}${GAP}(?:now${GAP})?(?:an?${GAP})?${alt("dan", "stan", "dude", "aim", "evil ?bot", "anti-?gpt", "better ?dan", "mongo tom", "developer mode")}${END}`,
        "do anything now",
        `${alt("enable", "activate", "enter", "start")}${GAP}dan${GAP}mode`,
      ),
    ),
    weight: 0.9,
  },
  {
    id: "roleplay_jailbreak.no_restrictions",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt(
        "pretend",
        "imagine",
        "act",
        "behave",
        "roleplay",
        "role-play",
        "role play",
        "suppose",
        "simulate",
        "respond",
        "answer",
        "you are",
        "you're",
        "you have",
        "you've",
        // "a chatbot with no ethical guidelines", not "the AI camera has no filters"
        `${AI}${anyUpTo(2)}${alt("with", "that has", "who has", "having")}`,
      ),
      upTo(5),
      alt("no", "without", "free of", "free from", "freed from", "zero", "ignoring", "beyond", "not bound by", "unbound by", "outside"),
      upTo(3),
      LIMITS,
      END,
    ),
    weight: 0.8,
  },
  {
    id: "roleplay_jailbreak.no_rules_apply",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt("no", "none of the", "the usual"),
      GAP,
      alt("rules", "restrictions", "policies", "limits", "guidelines", "filters"),
      GAP,
      alt("apply", "applies"),
      GAP,
      alt("to you", "here", "anymore", "any more"),
    ),
    weight: 0.7,
  },
  {
    id: "roleplay_jailbreak.unsafe_ai",
    category: "roleplay_jailbreak",
    pattern: seq(UNSAFE, upTo(1), AI, END),
    weight: 0.6,
  },
  {
    id: "roleplay_jailbreak.act_as_unsafe",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt(
        "act",
        "behave",
        "pretend",
        "roleplay",
        "role-play",
        "play",
        "become",
        "simulate",
        "respond",
        "you are",
        "you're",
        "switch",
        "enter",
      ),
      upTo(3),
      UNSAFE,
    ),
    weight: 0.7,
  },
  {
    id: "roleplay_jailbreak.unsafe_mode",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt(
        "unfiltered",
        "uncensored",
        "unrestricted",
        "unlocked",
        "god",
        "jailbreak",
        "jailbroken",
        "dan",
        "evil",
        "chaos",
        "sudo",
        "admin",
        "root",
      ),
      GAP,
      "mode",
      END,
    ),
    weight: 0.6,
  },
  {
    id: "roleplay_jailbreak.developer_mode_ai",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt(
        `${alt("you", "you're", "yourself", "chatgpt", "gpt", "assistant", "simulate", "act as", "pretend", "ai")}${upTo(4)}${alt("developer", "dev", "debug", "god", "admin", "sudo", "maintenance")}${GAP}mode`,
        `${alt("developer", "dev", "debug", "god")}${GAP}mode${upTo(3)}${alt("you", "your", "policies", "policy", "filters?", "content", "responses?", "output", "refuse", "censor")}`,
      ),
    ),
    weight: 0.8,
  },
  {
    id: "roleplay_jailbreak.developer_mode_enabled",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt("developer", "dev", "debug", "god"),
      GAP,
      "mode",
      GAP,
      alt("enabled", "activated", "on", "engaged", "unlocked"),
      `(?!${GAP}${alt("my", "the", "a", "an", "this", "that", "it", "your", "his", "her")}${END})`,
    ),
    weight: 0.4,
  },
  {
    id: "roleplay_jailbreak.jailbreak_word",
    category: "roleplay_jailbreak",
    pattern: seq(alt("jailbreak", "jailbroken", "jail-break", "jail break"), END),
    weight: 0.4,
  },
  {
    id: "roleplay_jailbreak.freed_ai",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt("broken free", "break free", "freed", "liberated", "released", "escaped", "you are free", "you're free"),
      upTo(4),
      alt(
        "confines",
        "restrictions",
        "rules",
        "limits",
        "limitations",
        "guidelines",
        "shackles",
        "openai",
        "anthropic",
        "programming",
        "filters",
      ),
    ),
    weight: 0.75,
  },
  {
    id: "roleplay_jailbreak.stay_in_character",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt(
        "stay in character",
        "stay in role",
        "never break character",
        "don't break character",
        "do not break character",
        "remain in character",
      ),
    ),
    weight: 0.5,
  },
  {
    id: "roleplay_jailbreak.persona_game",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt("pretend", "imagine", "roleplay", "role-play", "let's play", "lets play", "act as", "you are", "you're"),
      upTo(6),
      alt("an? ai", "an? assistant", "a chatbot", "a model"),
      upTo(1),
      alt("that", "who", "which", "with", "called", "named", "without", "can"),
      upTo(3),
      alt("anything", "everything", "no", "never", "any", "can", "cannot refuse", "doesn't", "does not"),
    ),
    weight: 0.5,
  },
  {
    id: "roleplay_jailbreak.grandma",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt("pretend", "act", "roleplay", "role-play", "play", "be"),
      anyUpTo(4),
      alt("grandma", "grandmother", "granny", "grandpa", "grandfather"),
      anyUpTo(8),
      alt("keys?", "passwords?", "codes?", "recipe for", "napalm", "serial", "activation", "credit card"),
    ),
    weight: 0.75,
  },
  {
    id: "roleplay_jailbreak.disable_safety",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt("bypass", "disable", "turn off", "switch off", "remove", "ignore", "circumvent", "evade", "without", "deactivate", "drop"),
      upTo(2),
      alt("your", "the", "all", "any", "its"),
      upTo(1),
      alt("content", "safety", "ethical", "ethics", "openai", "anthropic", "acme", "moderation", "ai"),
      GAP,
      alt("filters?", "polic(?:y|ies)", "guidelines", "guardrails", "safeguards", "moderation", "restrictions", "rules", "checks"),
    ),
    weight: 0.7,
  },
  {
    id: "roleplay_jailbreak.your_filters",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt("bypass", "disable", "turn off", "switch off", "remove", "without", "deactivate", "drop", "lift"),
      GAP,
      alt("your", "all your", "all of your", "any of your"),
      GAP,
      alt("filters?", "restrictions", "guardrails", "safeguards", "moderation", "censorship", "content moderation", "limits", "ethics"),
    ),
    weight: 0.75,
  },
  {
    id: "roleplay_jailbreak.two_responses",
    category: "roleplay_jailbreak",
    pattern: seq(
      alt(
        `${alt("two", "2", "both")}${GAP}${alt("responses", "answers", "replies", "outputs")}${upTo(6)}${alt("normal", "classic", "filtered")}${upTo(3)}${alt("developer mode", "jailbreak", "dan", "unfiltered")}`,
        String.raw`\[?\s*🔓`,
      ),
    ),
    weight: 0.6,
  },

  // system_prompt_extraction
  {
    id: "system_prompt_extraction.system_prompt",
    category: "system_prompt_extraction",
    pattern: seq(
      alt("system", "initial", "hidden", "secret", "original", "developer", "pre", "meta", "internal"),
      OPTIONAL_GAP,
      alt("prompts?", "message"),
      END,
    ),
    weight: 0.55,
  },
  {
    id: "system_prompt_extraction.show_your_rules",
    category: "system_prompt_extraction",
    pattern: seq(SHOW, anyUpTo(4), alt("your", "ur", "the", "its"), upTo(2), PROMPT, END),
    weight: 0.35,
  },
  {
    id: "system_prompt_extraction.dump_your_rules",
    category: "system_prompt_extraction",
    pattern: seq(DUMP, anyUpTo(3), YOUR, upTo(1), PROMPT, END),
    weight: 0.7,
  },
  {
    id: "system_prompt_extraction.show_hidden_prompt",
    category: "system_prompt_extraction",
    pattern: seq(SHOW, anyUpTo(4), YOUR, upTo(1), HIDDEN, upTo(1), PROMPT, END),
    weight: 0.9,
  },
  {
    id: "system_prompt_extraction.what_instructions",
    category: "system_prompt_extraction",
    pattern: seq(
      alt(
        // "what were your (initial) instructions", but not "what are your instructions for returns"
        `${alt("what", "which")}${upTo(3)}${alt("were", "are", "was", "is", "re", "s")}${GAP}${alt("your", "ur")}${GAP}(?:${HIDDEN}${GAP})?${alt("instructions", "directives", "prompt", "system message", "guidelines", "rules")}${END}(?!${upTo(3)}${alt("for", "on", "about", "regarding")})`,
        // "what your initial instructions were"
        `what${GAP}${alt("your", "ur")}${GAP}${HIDDEN}${GAP}${alt("instructions", "directives", "prompt", "system message", "guidelines", "rules")}${GAP}${alt("were", "are", "say", "said", "look like")}`,
        // "what does your prompt say"
        `what${GAP}${alt("does", "do", "did")}${GAP}${alt("your", "ur")}${GAP}(?:${HIDDEN}${GAP})?${alt("prompt", "instructions", "system message", "directives")}${GAP}${alt("say", "contain", "tell", "look like")}`,
        // "instructions you were given", "rules you have been told"
        `${alt("instructions", "rules", "guidelines", "directives", "prompt", "text")}${GAP}(?:that${GAP})?you${GAP}${alt("were", "have been", "got", "received", "are")}${GAP}${alt("given", "told", "programmed", "trained", "instructed", "provided", "fed", "configured")}`,
        // "the instructions the company gave you"
        `${alt("instructions", "rules", "guidelines", "directives", "prompt")}${upTo(3)}${alt("gave", "given", "provided", "told", "fed")}${GAP}you${END}`,
        // "were you programmed with", "what were you told", "what did the developers tell you"
        `${alt("were", "are", "have")}${GAP}you${GAP}(?:been${GAP})?${alt("programmed", "instructed", "configured", "prompted", "told")}${GAP}${alt("with", "to")}`,
        `what${GAP}${alt("were", "have")}${GAP}you${GAP}(?:been${GAP})?${alt("told", "instructed", "programmed", "asked")}`,
        `what${GAP}${alt("did", "do", "have", "has")}${upTo(3)}${alt("tell", "told", "instruct", "instructed", "ask", "asked", "program", "programmed")}${GAP}you${END}`,
      ),
    ),
    weight: 0.75,
  },
  {
    id: "system_prompt_extraction.secret_instructions",
    category: "system_prompt_extraction",
    pattern: seq(
      alt("secret", "hidden", "confidential", "internal", "private"),
      GAP,
      alt("instructions", "prompt", "rules", "guidelines", "directives", "system prompt", "configuration"),
      END,
    ),
    weight: 0.55,
  },
  {
    id: "system_prompt_extraction.text_above",
    category: "system_prompt_extraction",
    pattern: seq(
      alt(
        `${SHOW}${upTo(3)}${alt("text", "words", "content", "message", "messages", "everything", "all", "lines", "stuff", "prompt")}${GAP}${alt("above", "before this", "before my", "preceding", "prior to")}`,
        `${alt("everything", "all", "text", "anything", "words", "content", "stuff")}${upTo(2)}${alt("above", "before")}${GAP}${alt("this", "my", "the", "your")}${GAP}${alt("line", "message", "question", "request", "point", "conversation", "chat", "prompt")}`,
        `${SHOW}${upTo(2)}${alt("previous", "preceding", "prior", "earlier")}${GAP}text`,
        `${alt("came", "comes", "written")}${GAP}before${GAP}${alt("my first message", "this conversation", "the conversation", "our conversation", "my message")}`,
        `${alt("first", "initial", "opening")}${GAP}(?:\\d+${GAP})?${alt("words", "lines", "characters", "tokens", "sentences", "messages?")}${GAP}${alt("of", "in")}${GAP}${alt("this", "the", "our", "your")}${GAP}${alt("conversation", "chat", "prompt", "context", "session")}`,
        `including${GAP}(?:the${GAP})?${alt("hidden", "system", "secret")}${GAP}${alt("ones", "text", "parts", "instructions", "messages?")}`,
      ),
    ),
    weight: 0.65,
  },
  {
    id: "system_prompt_extraction.verbatim",
    category: "system_prompt_extraction",
    pattern: seq(
      alt(
        alt(
          "verbatim",
          "word for word",
          "word-for-word",
          "letter by letter",
          "one letter at a time",
          "character by character",
          "in full",
          "exactly as written",
          "copy it exactly",
          "unchanged",
        ),
        `${alt("starting", "beginning", "start", "begin")}${GAP}${alt("with", "from")}${upTo(2)}["'“]?you are`,
        `${alt("from", "starting from", "beginning with")}${GAP}the${GAP}(?:very${GAP})?first${GAP}${alt("line", "word", "sentence")}`,
      ),
    ),
    weight: 0.4,
  },
];
