/**
 * The pack as `pulumi policy publish` ships it: the policies/ folder packed
 * with `npm pack`, unpacked elsewhere, with nothing of the repository around
 * it. It must load with Pulumi's policy-pack runner and answer, and it may
 * import only its own files and the dependencies its package.json declares.
 */
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import { builtinModules } from "node:module";
import * as os from "node:os";
import * as path from "node:path";
import type * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROOT } from "../helpers";
import { type RunningPack, analyzeRequest, configMap, rpc, startPack } from "./packRunner";

let work: string;
let unpacked: string;
let pack: RunningPack | undefined;

beforeAll(() => {
  work = fs.mkdtempSync(path.join(os.tmpdir(), "policy-pack-"));
  const out = execFileSync("npm", ["pack", "--pack-destination", work, "--json"], { cwd: path.join(ROOT, "policies"), encoding: "utf8" });
  const [{ filename }] = JSON.parse(out) as [{ filename: string }];
  execFileSync("tar", ["-xzf", path.join(work, filename), "-C", work]);
  unpacked = path.join(work, "package");
}, 120_000);

afterAll(() => {
  pack?.stop();
  fs.rmSync(work, { recursive: true, force: true });
});

/** Every `from "..."` and `require("...")` specifier in a file. */
function importsOf(file: string): string[] {
  const text = fs.readFileSync(file, "utf8");
  return [...text.matchAll(/(?:from|require\()\s*"([^"]+)"/g)].map((m) => m[1]!);
}

function filesOf(dir: string): string[] {
  return fs.readdirSync(dir, { recursive: true }).map((f) => path.join(dir, String(f))).filter((f) => f.endsWith(".ts"));
}

describe("the published policy pack", () => {
  it("contains the pack's files and nothing that reaches out of its folder", () => {
    const files = filesOf(unpacked);
    expect(files.map((f) => path.relative(unpacked, f))).toEqual(expect.arrayContaining(["index.ts", "policies.ts", "catalog/regions.ts"]));
    for (const file of files) {
      for (const spec of importsOf(file).filter((s) => s.startsWith("."))) {
        const target = path.resolve(path.dirname(file), spec);
        expect(path.relative(unpacked, target).startsWith(".."), `${path.relative(unpacked, file)} imports ${spec}`).toBe(false);
        expect(fs.existsSync(`${target}.ts`) || fs.existsSync(path.join(target, "index.ts")), `${spec} in ${file}`).toBe(true);
      }
    }
  });

  it("imports only packages its own package.json declares", () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(unpacked, "package.json"), "utf8")) as { dependencies: Record<string, string> };
    const declared = new Set(Object.keys(manifest.dependencies));
    const packageName = (spec: string) => (spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!);
    for (const file of filesOf(unpacked)) {
      for (const spec of importsOf(file).filter((s) => !s.startsWith("."))) {
        const name = packageName(spec.replace(/^node:/, ""));
        if (builtinModules.includes(name)) continue;
        expect(declared.has(name), `${path.relative(unpacked, file)} imports ${spec}`).toBe(true);
      }
    }
  });

  it("loads with Pulumi's policy-pack runner and blocks a foreign region", async () => {
    // The published pack's dependencies are installed next to it; here they come from the project's install.
    fs.symlinkSync(path.join(ROOT, "node_modules"), path.join(unpacked, "node_modules"), "dir");
    pack = await startPack(unpacked);
    const req = analyzeRequest("bad", configMap("bad", { "topology.kubernetes.io/region": "eu-north-1" }));
    const res = await rpc<analyzer.AnalyzeResponse>((done) => pack!.client.analyze(req, done));
    expect(res.getDiagnosticsList().map((d) => d.getPolicyname())).toEqual(["norwegian-region-only"]);
  }, 120_000);
});
