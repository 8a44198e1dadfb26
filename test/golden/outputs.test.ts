/**
 * The plan's outputs, byte for byte: a SHA-256 of every file it writes
 * (manifests, Helm values, plan.json, report.md, energy-report.json) for every
 * site, every example and a synthetic factory of many tenants, held against
 * `outputs.json`. A change that is meant to alter what the plan produces
 * regenerates it with `UPDATE_GOLDEN=1 npx vitest run test/golden`; a change
 * that is not (a performance change) must leave it untouched. Both ways of
 * planning are held to it: `planStack` from the sources, and `npm run plan`
 * as users run it (compiled, validating on a worker thread, with the SDK's
 * unused modules deferred).
 */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { syntheticFactory } from "../../bench/synthetic";
import { planStack } from "../../plan";
import { main } from "../../program";
import { ROOT } from "../helpers";

const GOLDEN = path.join(__dirname, "outputs.json");

type Digests = Record<string, Record<string, string>>;

function digests(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (sub: string): void => {
    for (const entry of fs.readdirSync(path.join(dir, sub), { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const rel = path.posix.join(sub, entry.name);
      if (entry.isDirectory()) walk(rel);
      else out[rel] = createHash("sha256").update(fs.readFileSync(path.join(dir, rel))).digest("hex");
    }
  };
  walk("");
  return out;
}

function stackFiles(): { name: string; file: string }[] {
  const sites = fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f));
  const examples = fs.readdirSync(path.join(ROOT, "examples")).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => `examples/${f}`);
  return [...sites, ...examples].sort().map((f) => ({ name: f, file: path.join(ROOT, f) }));
}

async function planInto(tmp: string, name: string, configFile: string): Promise<Record<string, string>> {
  const outDir = path.join(tmp, name.replace(/[/\\]/g, "_"));
  const stack = path.basename(configFile).replace(/^Pulumi\.|\.yaml$/g, "");
  const outcome = await planStack({ stack, configFile, outDir, program: () => main() });
  expect("document" in outcome, `${name} planned`).toBe(true);
  return digests(outDir);
}

/** The synthetic factory's stack file, written into `dir`. */
function writeSynthetic(dir: string): string {
  const file = path.join(dir, "Pulumi.synthetic.yaml");
  // 15 tenants of 4 services: about 790 resources.
  const engine = syntheticFactory(ROOT, 787);
  fs.writeFileSync(file, `config:\n${Object.entries(engine).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n")}\n`);
  return file;
}

describe("the plan's outputs", () => {
  it("are byte-identical to the recorded ones for every site, every example and a factory of many tenants", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "golden-"));
    try {
      const found: Digests = {};
      for (const { name, file } of stackFiles()) found[name] = await planInto(tmp, name, file);
      found["synthetic-15-tenants"] = await planInto(tmp, "synthetic-15-tenants", writeSynthetic(tmp));
      if (process.env["UPDATE_GOLDEN"] === "1") fs.writeFileSync(GOLDEN, `${JSON.stringify(found, null, 2)}\n`);
      const recorded = JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as Digests;
      expect(Object.keys(found["Pulumi.oslo.yaml"] ?? {})).toContain("plan.json");
      expect(found).toEqual(recorded);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("are the same from npm run plan, compiled, for every stack in one run", () => {
    // Every stack file in one folder, planned as `npm run plan` plans a project's stacks.
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "golden-cli-"));
    try {
      const names = new Map<string, string>();
      for (const { name, file } of stackFiles()) {
        fs.copyFileSync(file, path.join(tmp, path.basename(file)));
        names.set(path.basename(file).replace(/^Pulumi\.|\.yaml$/g, ""), name);
      }
      writeSynthetic(tmp);
      names.set("synthetic", "synthetic-15-tenants");
      const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-compiled.cjs"), "scripts/plan.ts"], { cwd: tmp, encoding: "utf8" });
      // The examples break mandatory policies by design: exit 1, outputs written.
      expect(run.status, run.stderr).toBe(1);
      const found: Digests = {};
      for (const [stack, name] of names) found[name] = digests(path.join(tmp, "out", stack));
      expect(found).toEqual(JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as Digests);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
