/**
 * scripts/run-compiled.cjs: an entry point compiled once, reused while its
 * inputs are unchanged, rebuilt as soon as any of them changes.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { ROOT } from "../helpers";

interface Compiled {
  compiled: (target: { root: string; entry: string; cacheDir?: string }) => { file: string; rebuilt: boolean };
}
const { compiled } = require(path.join(ROOT, "scripts", "run-compiled.cjs")) as Compiled;

/** A tiny project: an entry that prints what a module it imports exports. */
function project(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "run-compiled-"));
  fs.mkdirSync(path.join(dir, "lib"));
  fs.writeFileSync(path.join(dir, "lib", "word.ts"), 'export const word: string = "first";\n');
  fs.writeFileSync(path.join(dir, "main.ts"), 'import { word } from "./lib/word";\nconsole.log(`${word} ${process.argv.slice(2).join(" ")}`);\n');
  return dir;
}

function runFile(file: string, ...args: string[]): string {
  const result = spawnSync(process.execPath, [file, ...args], { encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return result.stdout.trim();
}

describe("run-compiled", () => {
  it("compiles an entry with what it imports, then reuses it while nothing changed", () => {
    const root = project();
    const first = compiled({ root, entry: "main.ts" });
    expect(first.rebuilt).toBe(true);
    expect(first.file.startsWith(path.join(root, "node_modules", ".cache", "sovereign-ai-factory"))).toBe(true);
    expect(runFile(first.file, "a", "b")).toBe("first a b");
    const stamp = JSON.parse(fs.readFileSync(first.file.replace(/\.cjs$/, ".stamp.json"), "utf8")) as { inputs: Record<string, string> };
    expect(Object.keys(stamp.inputs).sort()).toEqual(["lib/word.ts", "main.ts"]);
    expect(compiled({ root, entry: "main.ts" })).toEqual({ file: first.file, rebuilt: false });
  });

  it("rebuilds when an imported file changes, so an edit always runs as edited", () => {
    const root = project();
    compiled({ root, entry: "main.ts" });
    fs.writeFileSync(path.join(root, "lib", "word.ts"), 'export const word: string = "second";\n');
    const again = compiled({ root, entry: "main.ts" });
    expect(again.rebuilt).toBe(true);
    expect(runFile(again.file)).toBe("second");
  });

  it("rebuilds when the stamp is from another build format or the compiled file is gone", () => {
    const root = project();
    const { file } = compiled({ root, entry: "main.ts" });
    const stampFile = file.replace(/\.cjs$/, ".stamp.json");
    const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8")) as { format: number };
    fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, format: stamp.format + 1 }));
    expect(compiled({ root, entry: "main.ts" }).rebuilt).toBe(true);
    fs.rmSync(file);
    expect(compiled({ root, entry: "main.ts" }).rebuilt).toBe(true);
  });

  it("rebuilds when the compiled file was edited after the build, so the stamp never vouches for other code", () => {
    const root = project();
    const { file } = compiled({ root, entry: "main.ts" });
    fs.writeFileSync(file, 'console.log("not what the sources say");\n');
    const again = compiled({ root, entry: "main.ts" });
    expect(again.rebuilt).toBe(true);
    expect(runFile(again.file)).toBe("first");
  });

  it("rebuilds when a new file changes what an import resolves to (b.tsx beside b.ts, or a folder of that name)", () => {
    const root = project();
    compiled({ root, entry: "main.ts" });
    // esbuild tries .tsx before .ts: the import of ./lib/word now means word.tsx.
    fs.writeFileSync(path.join(root, "lib", "word.tsx"), 'export const word: string = "tsx";\n');
    const tsx = compiled({ root, entry: "main.ts" });
    expect(tsx.rebuilt).toBe(true);
    expect(runFile(tsx.file)).toBe("tsx");
    expect(compiled({ root, entry: "main.ts" }).rebuilt).toBe(false);
    // A new folder beside an input is a possible change of resolution too: rebuilt when in doubt.
    fs.mkdirSync(path.join(root, "lib", "word"));
    expect(compiled({ root, entry: "main.ts" }).rebuilt).toBe(true);
    // An unrelated new file is not.
    fs.writeFileSync(path.join(root, "lib", "other.ts"), "export {};\n");
    expect(compiled({ root, entry: "main.ts" }).rebuilt).toBe(false);
  });

  it("rebuilds when the builder itself changed", () => {
    const root = project();
    const { file } = compiled({ root, entry: "main.ts" });
    const stampFile = file.replace(/\.cjs$/, ".stamp.json");
    const stamp = JSON.parse(fs.readFileSync(stampFile, "utf8")) as { builder: string };
    fs.writeFileSync(stampFile, JSON.stringify({ ...stamp, builder: "0".repeat(64) }));
    expect(compiled({ root, entry: "main.ts" }).rebuilt).toBe(true);
  });

  it("fails on a missing import instead of running an older build", () => {
    const root = project();
    compiled({ root, entry: "main.ts" });
    fs.rmSync(path.join(root, "lib", "word.ts"));
    expect(() => compiled({ root, entry: "main.ts" })).toThrow(/word/);
  });

  it("runs the entry with its arguments as node would, and says how to use it", () => {
    const root = project();
    fs.mkdirSync(path.join(root, "scripts"));
    fs.copyFileSync(path.join(ROOT, "scripts", "run-compiled.cjs"), path.join(root, "scripts", "run-compiled.cjs"));
    // esbuild is found from the project's own node_modules, as in a clone.
    fs.mkdirSync(path.join(root, "node_modules"));
    fs.symlinkSync(path.join(ROOT, "node_modules", "esbuild"), path.join(root, "node_modules", "esbuild"), "dir");
    const run = spawnSync(process.execPath, ["scripts/run-compiled.cjs", "main.ts", "--flag", "x"], { cwd: root, encoding: "utf8" });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.trim()).toBe("first --flag x");
    const usage = spawnSync(process.execPath, ["scripts/run-compiled.cjs"], { cwd: root, encoding: "utf8" });
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain("usage:");
  });
});
