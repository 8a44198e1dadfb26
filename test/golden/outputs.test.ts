/**
 * The plan's outputs, byte for byte: a SHA-256 of every file it writes
 * (manifests, Helm values, plan.json, report.md, energy-report.json) for every
 * site, every example and a synthetic factory of many tenants, held against
 * `outputs.json`. A change that is meant to alter what the plan produces
 * regenerates it with `UPDATE_GOLDEN=1 npx vitest run test/golden`; a change
 * that is not (a performance change) must leave it untouched.
 */
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

describe("the plan's outputs", () => {
  it("are byte-identical to the recorded ones for every site, every example and a factory of many tenants", async () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "golden-"));
    try {
      const found: Digests = {};
      for (const { name, file } of stackFiles()) found[name] = await planInto(tmp, name, file);
      const synthetic = path.join(tmp, "Pulumi.synthetic.yaml");
      // 15 tenants of 4 services: about 700 resources.
      const engine = syntheticFactory(ROOT, 704);
      fs.writeFileSync(synthetic, `config:\n${Object.entries(engine).map(([k, v]) => `  ${k}: ${JSON.stringify(v)}`).join("\n")}\n`);
      found["synthetic-15-tenants"] = await planInto(tmp, "synthetic-15-tenants", synthetic);
      if (process.env["UPDATE_GOLDEN"] === "1") fs.writeFileSync(GOLDEN, `${JSON.stringify(found, null, 2)}\n`);
      const recorded = JSON.parse(fs.readFileSync(GOLDEN, "utf8")) as Digests;
      expect(Object.keys(found["Pulumi.oslo.yaml"] ?? {})).toContain("plan.json");
      expect(found).toEqual(recorded);
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
