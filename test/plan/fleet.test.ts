import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parse, stringify } from "yaml";
import { describe, expect, it } from "vitest";
import { type FactoryConfig, parseFactoryConfig } from "../../config";
import { CONFIG_NAMESPACE } from "../../config";
import { type FleetSite, evaluatePolicies, fleetProblems, fleetReport, readStackConfig, runProgram, programResources } from "../../plan";
import { main } from "../../program";
import { ROOT } from "../helpers";

function siteConfig(stack: string): FactoryConfig {
  const engine = readStackConfig(path.join(ROOT, `Pulumi.${stack}.yaml`));
  const raw: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(engine)) raw[k.slice(CONFIG_NAMESPACE.length + 1)] = JSON.parse(v) as unknown;
  const result = parseFactoryConfig(raw);
  if (!result.ok) throw new Error(JSON.stringify(result.problems));
  return result.config;
}

const site = (stack: string, config: FactoryConfig = siteConfig(stack)): FleetSite => ({ stack, config, violations: [] });
const fleet = () => [site("oslo"), site("rjukan")];
const rules = (sites: FleetSite[]) => fleetProblems(sites).map((p) => p.rule);

/** A copy of a site's config with changes to its site and backup. */
function changed(stack: string, change: (c: FactoryConfig) => void): FleetSite {
  const config = structuredClone(siteConfig(stack));
  change(config);
  return site(stack, config);
}

describe("the fleet rules", () => {
  it("hold for Oslo and Rjukan, which back up to each other", () => {
    expect(fleetProblems(fleet())).toEqual([]);
  });

  it("refuse a site outside Norway, and two sites in one region", () => {
    expect(rules([site("oslo"), changed("rjukan", (c) => void (c.site.region = "se-sto-1"))])).toContain("region-norwegian");
    expect(rules([site("oslo"), changed("rjukan", (c) => void (c.site.region = "no-oslo-1"))])).toContain("region-distinct");
  });

  it("refuse a site name or a zone used twice", () => {
    expect(rules([site("oslo"), changed("rjukan", (c) => void (c.site.name = "oslo-1"))])).toContain("name-unique");
    expect(rules([site("oslo"), changed("rjukan", (c) => void (c.site.zones = ["no-oslo-1a"]))])).toContain("zone-unique");
  });

  it("refuse a backup to the site itself, to a region outside the fleet, to another site's region on the wrong store, or none", () => {
    const backup = (change: Partial<NonNullable<FactoryConfig["storage"]["backup"]>>) =>
      fleetProblems([site("oslo"), changed("rjukan", (c) => void Object.assign(c.storage.backup ?? {}, change))]).map((p) => p.message);
    expect(backup({ region: "no-rjukan-1" })).toEqual(["rjukan: backs up to 'no-rjukan-1', its own region (not off-site); back up to another site of the fleet"]);
    expect(backup({ region: "no-trondheim-1" })).toEqual(["rjukan: backs up to 'no-trondheim-1', a region no site of the fleet has; back up to another site of the fleet"]);
    expect(backup({ s3Url: "https://s3.trondheim-1.aifactory.no" })).toEqual(["rjukan: backup endpoint https://s3.trondheim-1.aifactory.no is not the object store of oslo (oslo-1)"]);
    expect(rules([site("oslo"), changed("rjukan", (c) => void (c.storage.backup = undefined))])).toEqual(["backup-in-fleet"]);
  });

  it("write fleet.md with every site's load against its renewable capacity and the backup topology", () => {
    const md = fleetReport(fleet(), []);
    expect(md).toContain("| oslo | oslo-1 | no-oslo-1 | 60 | 68.7 | 79 | 2,500 | 2,421 | 0 |");
    expect(md).toContain('oslo_1["oslo-1"] -->|backup| rjukan_1["rjukan-1"]');
    expect(md).toContain('rjukan_1["rjukan-1"] -->|backup| oslo_1["oslo-1"]');
    expect(fleetReport(fleet(), [{ rule: "zone-unique", message: "zone 'x' is declared by a and b" }])).toContain("- `zone-unique`: zone 'x' is declared by a and b");
  });
});

describe("the Rjukan site", () => {
  it("plans with no policy violation", async () => {
    const run = await runProgram({ stack: "rjukan", config: readStackConfig(path.join(ROOT, "Pulumi.rjukan.yaml")), program: main });
    expect(programResources(run).length).toBeGreaterThan(40);
    expect(await evaluatePolicies(run.resources)).toEqual([]);
  });
});

describe("npm run plan with a fleet whose control plane leaves the country", () => {
  /** `npm run plan` in a folder with the project's site stack files and a changed fleet stack file. */
  function planWithFleet(change: (fleet: Record<string, unknown>) => void) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-plan-"));
    try {
      for (const f of ["Pulumi.oslo.yaml", "Pulumi.rjukan.yaml"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
      const doc = parse(fs.readFileSync(path.join(ROOT, "fleet", "Pulumi.management.yaml"), "utf8")) as { config: Record<string, Record<string, unknown>> };
      change(doc.config["sovereign-ai-factory-fleet:fleet"]!);
      fs.mkdirSync(path.join(dir, "fleet"));
      fs.writeFileSync(path.join(dir, "fleet", "Pulumi.management.yaml"), stringify(doc));
      const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-compiled.cjs"), "scripts/plan.ts"], { cwd: dir, encoding: "utf8" });
      return { status: run.status, stderr: run.stderr, md: fs.readFileSync(path.join(dir, "out", "fleet.md"), "utf8") };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }

  it.each([
    ["the state backend on s3.eu-north-1.amazonaws.com", (f: Record<string, unknown>) => void (f["backend"] = "s3://state/{stack}?endpoint=s3.eu-north-1.amazonaws.com"), "fleet.backend", "s3.eu-north-1.amazonaws.com"],
    ["the program from github.com", (f: Record<string, unknown>) => void ((f["git"] as Record<string, unknown>)["repo"] = "https://github.com/acme/sovereign-ai-factory.git"), "fleet.git.repo", "github.com"],
    ["any secretsProvider (AWS KMS)", (f: Record<string, unknown>) => void (f["secretsProvider"] = "awskms://alias/{stack}?region=eu-north-1"), "fleet.secretsProvider", "kms.amazonaws.com"],
  ])("exits 2 for %s, naming the key, and fleet.md lists it as foreign", (_name, change, key, host) => {
    const outcome = planWithFleet(change);
    expect(outcome.status, outcome.stderr).toBe(2);
    expect(outcome.stderr).toContain(`${key}: reaches ${host}, outside the allowed in-country domains`);
    expect(outcome.md).toContain("**Blocked:**");
    expect(outcome.md).toContain(`| ${host} | foreign | \`${key}\` |`);
  }, 60_000);
});
