import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";

import { describe, expect, it } from "vitest";

/**
 * The demo agent depends on the middleware, so the middleware (its source and its tests) must never
 * import the demo: tests take their offline model, graphs and tools from @agentwatch/fixtures, which
 * in turn must not depend on the middleware (or the demo).
 */
const PACKAGES_DIR = fileURLToPath(new URL("../..", import.meta.url));
const DEMO_PACKAGE = ["@agentwatch", "demo-agent"].join("/");
const MIDDLEWARE_PACKAGE = ["@agentwatch", "middleware"].join("/");

/** Every .ts / .mts / .js / .mjs file under `dir`, recursively. */
function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" || entry.name === "dist" ? [] : sourceFiles(path);
    return /\.(m?ts|m?js)$/.test(entry.name) ? [path] : [];
  });
}

/** The module specifiers of a file: static imports and re-exports, side-effect imports, `import()` and `require()`. */
function specifiers(text: string): string[] {
  const patterns = [
    /\bfrom\s*["']([^"']+)["']/g,
    /\bimport\s*["']([^"']+)["']/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  return patterns.flatMap((pattern) => [...text.matchAll(pattern)].map((m) => m[1] ?? ""));
}

/** `file: specifier` for every import in `dirs` that `forbidden` matches. */
function importsMatching(dirs: string[], forbidden: (specifier: string) => boolean): string[] {
  return dirs.flatMap((dir) =>
    sourceFiles(join(PACKAGES_DIR, dir)).flatMap((file) =>
      specifiers(readFileSync(file, "utf8"))
        .filter(forbidden)
        .map((specifier) => `${relative(PACKAGES_DIR, file)}: ${specifier}`),
    ),
  );
}

const isDemo = (s: string) => s === DEMO_PACKAGE || s.startsWith(`${DEMO_PACKAGE}/`) || (s.startsWith(".") && s.includes("demo-agent"));
const isMiddleware = (s: string) =>
  s === MIDDLEWARE_PACKAGE || s.startsWith(`${MIDDLEWARE_PACKAGE}/`) || (s.startsWith(".") && /(^|\/)middleware(\/|$)/.test(s));

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

function allDependencies(dir: string): string[] {
  const pkg = JSON.parse(readFileSync(join(PACKAGES_DIR, dir, "package.json"), "utf8")) as PackageJson;
  return [pkg.dependencies, pkg.devDependencies, pkg.peerDependencies, pkg.optionalDependencies].flatMap((deps) => Object.keys(deps ?? {}));
}

describe("no package cycle between the middleware, the fixtures and the demo", () => {
  it("finds the files it scans", () => {
    expect(sourceFiles(join(PACKAGES_DIR, "middleware/src")).length).toBeGreaterThan(10);
    expect(sourceFiles(join(PACKAGES_DIR, "middleware/test")).length).toBeGreaterThan(10);
    expect(sourceFiles(join(PACKAGES_DIR, "fixtures/src")).length).toBeGreaterThan(5);
    expect(specifiers(`import { a } from "x";\nexport * from 'y';\nimport "z";\nawait import("w");`)).toEqual(["x", "y", "z", "w"]);
    expect([DEMO_PACKAGE, "../../demo-agent/src/index.js", "@agentwatch/fixtures"].map(isDemo)).toEqual([true, true, false]);
    expect([MIDDLEWARE_PACKAGE, "../../middleware/src/index.js", "./middleware-free.js"].map(isMiddleware)).toEqual([true, true, false]);
  });

  it("the middleware's source and tests never import the demo agent", () => {
    expect(importsMatching(["middleware/src", "middleware/test"], isDemo)).toEqual([]);
  });

  it("the middleware's package.json does not depend on the demo agent", () => {
    expect(allDependencies("middleware")).not.toContain(DEMO_PACKAGE);
  });

  it("@agentwatch/fixtures neither depends on nor imports the middleware or the demo agent", () => {
    const deps = allDependencies("fixtures");
    expect(deps).not.toContain(MIDDLEWARE_PACKAGE);
    expect(deps).not.toContain(DEMO_PACKAGE);
    expect(importsMatching(["fixtures/src", "fixtures/test"], (s) => isMiddleware(s) || isDemo(s))).toEqual([]);
  });
});
