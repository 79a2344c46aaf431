import { loadTarget, TargetError } from "@agentwatch/eval";
import { describe, expect, it } from "vitest";

import { tempFile } from "./temp-files.js";

const context = () => ({ callbacks: [], metadata: { eval_case_id: "c1" }, signal: new AbortController().signal });

async function loadError(source: string, name = "target.mjs"): Promise<TargetError> {
  const error = await loadTarget(tempFile(name, source)).catch((e: unknown) => e);
  expect(error).toBeInstanceOf(TargetError);
  return error as TargetError;
}

describe("loadTarget", () => {
  it("a runnable gets { messages: [user message] } with the callbacks, metadata and signal; the answer is the last AI message's text", async () => {
    const path = tempFile(
      "graph.mjs",
      `export const seen = [];
       export const target = { async invoke(input, config) {
         seen.push({ input, config });
         return { messages: [{ role: "user", content: "q" }, { role: "assistant", content: [{ type: "text", text: "It " }, { type: "text", text: "shipped." }] }, { role: "tool", content: "x" }] };
       } };
       export const options = { prompt: { name: "support", version: "7" } };`,
    );
    const target = await loadTarget(path);
    expect([target.kind, target.prompt]).toEqual(["runnable", { name: "support", version: "7" }]);
    const ctx = context();
    expect(await target.call("Where is AB-1234?", ctx)).toEqual({ answer: "It shipped." });
    const { seen } = (await import(path)) as { seen: Array<{ input: unknown; config: Record<string, unknown> }> };
    expect(seen[0]?.input).toEqual({ messages: [{ role: "user", content: "Where is AB-1234?" }] });
    expect(seen[0]?.config).toMatchObject({ callbacks: ctx.callbacks, metadata: ctx.metadata, signal: ctx.signal });
  });

  it("inputKey / outputKey and input / output functions change how a runnable is called and read", async () => {
    const keyed = await loadTarget(
      tempFile(
        "keyed.mjs",
        `export default { invoke: async (input) => ({ history: [{ type: "ai", content: "echo " + input.chat[0].content }] }) };
         export const options = { inputKey: "chat", outputKey: "history" };`,
      ),
    );
    expect(keyed.prompt).toEqual({ name: "keyed", version: "unversioned" });
    expect(await keyed.call("hi", context())).toEqual({ answer: "echo hi" });
    const custom = await loadTarget(
      tempFile(
        "custom.mjs",
        `export const target = { invoke: async (input) => ({ text: input.question.toUpperCase(), docs: ["d1"] }) };
         export const options = { input: (q) => ({ question: q }), output: (r) => ({ answer: r.text, documents: r.docs }) };`,
      ),
    );
    expect(await custom.call("hi", context())).toEqual({ answer: "HI", documents: ["d1"] });
  });

  it("a function target gets the input and the context, and may return documents", async () => {
    const target = await loadTarget(
      tempFile(
        "fn.mjs",
        `export const target = async (input, { metadata }) => ({ answer: input + " " + metadata.eval_case_id, documents: ["kb"] });`,
      ),
    );
    expect(target.kind).toBe("function");
    expect(await target.call("case", context())).toEqual({ answer: "case c1", documents: ["kb"] });
  });

  it("a runnable result without an AI message is an error naming the fix", async () => {
    const target = await loadTarget(tempFile("silent.mjs", `export const target = { invoke: async () => ({ state: 1 }) };`));
    await expect(target.call("x", context())).rejects.toThrow(/no "messages" array of messages.*options\.outputKey/);
  });

  it("names the module and the fix when the file, the export or an option is wrong", async () => {
    await expect(loadTarget("/nonexistent/agent.mjs")).rejects.toThrow(
      /target module \/nonexistent\/agent\.mjs does not exist; pass --target/,
    );
    expect((await loadError("export const graph = {};", "agent.mjs")).message).toContain(
      'agent.mjs exports no "target" (nor a default export); it exports graph',
    );
    expect((await loadError("export const target = 42;")).message).toContain(
      '"target" must be a LangChain runnable (with invoke) or a function',
    );
    expect((await loadError("export const target = () => 'x'; export const options = { prompt: { name: 'p' } };")).message).toContain(
      "options.prompt must be { name: string, version: string }",
    );
    expect((await loadError("export const target = () => 'x'; export const options = { judge: { model: {} } };")).message).toContain(
      "options.judge.model must be a LangChain chat model",
    );
    expect((await loadError("throw new Error('no API key');")).message).toContain("failed to load: no API key");
  });
});
