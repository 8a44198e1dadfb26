/**
 * plan/deferModules.ts, pinned to the SDK version it was checked at: during
 * a plan neither `typescript` nor `@npmcli/arborist` loads, and the SDK
 * features that use them give the same results with the stand-ins as with
 * the real modules. Each case runs in a fresh process, as the plan does.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { DEFERRED, DEFERRED_FOR_SDK_VERSION } from "../../plan/deferModules";
import { ROOT } from "../helpers";

const DEFER = path.join(ROOT, "plan", "deferModules.ts");

/**
 * In a fresh process under tsx: defer (or, with another SDK version, try to
 * and fail), load the SDK, then use both features: serialise a closure
 * (typescript) and compute the code paths of a small project (arborist).
 */
function useSdk(defer: boolean, project: string): { deferred: boolean; arboristAtLoad: boolean; text: string; paths: string[] } {
  const script = `
    const deferred = require(${JSON.stringify(DEFER)}).deferUnusedSdkModules(${defer ? "" : '"3.249.0"'});
    const pulumi = require("@pulumi/pulumi");
    const arboristAtLoad = Object.keys(require.cache).some((k) => k.includes("/node_modules/@npmcli/arborist/"));
    const factor = 6;
    class Base { greet() { return "hi"; } }
    class Derived extends Base { greet() { return super.greet() + "!"; } }
    (async () => {
      const { text } = await pulumi.runtime.serializeFunction(async (x) => new Derived().greet() + x * factor);
      process.chdir(${JSON.stringify(project)});
      const paths = [...(await pulumi.runtime.computeCodePaths()).keys()].sort();
      console.log(JSON.stringify({ deferred, arboristAtLoad, text, paths }));
    })();`;
  const result = spawnSync(process.execPath, ["--import", "tsx", "-e", script], { cwd: ROOT, encoding: "utf8" });
  expect(result.status, result.stderr).toBe(0);
  return JSON.parse(result.stdout) as { deferred: boolean; arboristAtLoad: boolean; text: string; paths: string[] };
}

/** A project with one dependency that has one of its own, and a package nothing uses. */
function smallProject(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "code-paths-"));
  const pkg = (name: string, deps: Record<string, string>) => ({ name, version: "1.0.0", dependencies: deps });
  fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify(pkg("app", { left: "1.0.0" })));
  for (const [name, deps] of [["left", { right: "1.0.0" }], ["right", {}], ["unused", {}]] as const) {
    fs.mkdirSync(path.join(dir, "node_modules", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "node_modules", name, "package.json"), JSON.stringify(pkg(name, deps)));
  }
  return dir;
}

const LOADED = `
  const loaded = (name) => Object.keys(require.cache).some((k) => k.includes("/node_modules/" + name + "/"));
  console.log(JSON.stringify({ typescript: loaded("typescript"), arborist: loaded("@npmcli/arborist"), sdk: loaded("@pulumi/pulumi"), models: loaded("kubernetes-models") }));
`;

describe("deferring modules the plan never uses", () => {
  it("is pinned to the installed SDK version", () => {
    const installed = (JSON.parse(fs.readFileSync(path.join(ROOT, "node_modules/@pulumi/pulumi/package.json"), "utf8")) as { version: string }).version;
    expect(installed).toBe(DEFERRED_FOR_SDK_VERSION);
    expect(DEFERRED.map((d) => d.request)).toEqual(["typescript", "@npmcli/arborist"]);
  });

  it("keeps both out of a plan, where loading the SDK otherwise loads both", () => {
    // The plan as `npm run plan` runs it (compiled, plain node), with a probe
    // reporting at exit what was loaded. (Under tsx, its loader reads every
    // module's exports as it loads, which loads typescript anyway.)
    const probe = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "defer-")), "probe.cjs");
    fs.writeFileSync(probe, `process.on("exit", () => { ${LOADED} });`);
    const plan = spawnSync(process.execPath, ["--require", probe, "scripts/run-compiled.cjs", "scripts/plan.ts", "--stack", "oslo", "--out", path.dirname(probe)], {
      cwd: ROOT,
      encoding: "utf8",
    });
    expect(plan.status, plan.stderr).toBe(0);
    // Nor the schemas: the objects were validated on the worker thread.
    expect(JSON.parse(plan.stdout.trim().split("\n").pop() ?? "")).toEqual({ typescript: false, arborist: false, sdk: true, models: false });
    const plain = spawnSync(process.execPath, ["-e", `require("@pulumi/pulumi"); ${LOADED}`], { cwd: ROOT, encoding: "utf8" });
    expect(JSON.parse(plain.stdout)).toEqual({ typescript: true, arborist: true, sdk: true, models: false });
  });

  it("serialises closures and computes code paths as the real modules do, and defers nothing on another SDK version", () => {
    const project = smallProject();
    const deferred = useSdk(true, project);
    const asShipped = useSdk(false, project);
    expect([deferred.deferred, deferred.arboristAtLoad]).toEqual([true, false]);
    expect([asShipped.deferred, asShipped.arboristAtLoad]).toEqual([false, true]);
    // `super` rewritten with typescript's parser, and the captured variable.
    expect(deferred.text).toContain("__super.prototype.greet");
    expect(deferred.text).toContain("factor");
    expect(deferred.text).toBe(asShipped.text);
    expect(deferred.paths).toEqual(["node_modules/left", "node_modules/right"]);
    expect(deferred.paths).toEqual(asShipped.paths);
  });
});
