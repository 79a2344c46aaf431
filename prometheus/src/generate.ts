/**
 * Writes the generated files under prometheus/: rules/recording.yml, rules/alerts.yml and the
 * promtool unit tests tests/*.test.yml, and rewrites the alert blocks of
 * packages/demo-agent/INCIDENTS.md (incidents-doc.ts). Run `npm run generate:rules` after changing
 * config.ts, rules/ or rule-tests/; a test fails while the committed files differ from what this writes.
 */
import { mkdir, readFile, writeFile } from "node:fs/promises";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import { renderAlertBlocks } from "./incidents-doc.js";
import { GENERATED_HEADER, toYaml } from "./render.js";
import { promtoolTestFile, RULE_TEST_FILES } from "./rule-tests/index.js";
import { buildRules, type RuleOptions, type Rules } from "./rules/index.js";

/** The rule files, relative to the prometheus/ directory. */
export const RULE_FILES = { recording: "rules/recording.yml", alerting: "rules/alerts.yml" } as const;

/** Recording and alerting rule files' YAML (as Prometheus reads them) for `rules`. */
export async function ruleFileTexts(rules: Rules): Promise<{ recording: string; alerting: string }> {
  const render = (value: unknown, file: string) => toYaml(value, { header: GENERATED_HEADER, filepath: join(PROMETHEUS_DIR, file) });
  return {
    recording: await render({ groups: rules.recording }, RULE_FILES.recording),
    alerting: await render({ groups: rules.alerting }, RULE_FILES.alerting),
  };
}

/** Every generated file: path relative to prometheus/ → its text. */
export async function generatedFiles(options: RuleOptions = {}): Promise<Map<string, string>> {
  const rules = buildRules(options);
  const files = new Map<string, string>();
  const texts = await ruleFileTexts(rules);
  files.set(RULE_FILES.recording, texts.recording);
  files.set(RULE_FILES.alerting, texts.alerting);
  for (const file of RULE_TEST_FILES) {
    const path = `tests/${file.file}`;
    const ruleFiles = [RULE_FILES.recording, RULE_FILES.alerting].map((f) => `../${f}`);
    files.set(
      path,
      await toYaml(promtoolTestFile(rules, file, ruleFiles), { header: GENERATED_HEADER, filepath: join(PROMETHEUS_DIR, path) }),
    );
  }
  return files;
}

/** The prometheus/ directory (this file is in prometheus/src, or compiled into prometheus/dist). */
export const PROMETHEUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The demo agent's incident catalogue, whose alert blocks are generated from the rules. */
export const INCIDENTS_DOC = resolve(PROMETHEUS_DIR, "../packages/demo-agent/INCIDENTS.md");

/** INCIDENTS.md as it should be: its current text with every alert block rendered from `rules`. */
export async function incidentsDocText(rules: Rules = buildRules()): Promise<{ current: string; rendered: string }> {
  const current = await readFile(INCIDENTS_DOC, "utf8");
  return { current, rendered: await renderAlertBlocks(current, rules, INCIDENTS_DOC) };
}

async function main(): Promise<void> {
  const files = await generatedFiles();
  for (const [path, text] of files) {
    const target = join(PROMETHEUS_DIR, path);
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
    console.log(`wrote prometheus/${path}`);
  }
  const doc = await incidentsDocText();
  if (doc.rendered !== doc.current) {
    await writeFile(INCIDENTS_DOC, doc.rendered);
    console.log("rewrote the alert blocks of packages/demo-agent/INCIDENTS.md");
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await main();
}
