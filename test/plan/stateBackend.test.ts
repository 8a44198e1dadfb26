/**
 * The report names the state backend each stack uses in production, as the
 * CLI chooses it (PULUMI_BACKEND_URL, which the operator sets from the fleet's
 * backend, over Pulumi.yaml's backend.url), flagged when it is not in-country.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { planStack, productionStateBackend, stateBackendSection } from "../../plan";
import { main } from "../../program";
import { ROOT } from "../helpers";

/** A project root with this project's Pulumi.yaml and fleet file, the fleet's backend replaced. */
const roots: string[] = [];
afterAll(() => {
  for (const root of roots) fs.rmSync(root, { recursive: true, force: true });
});

function projectWith(backend: string | undefined, projectUrl = "file://~"): string {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "state-backend-"));
  roots.push(root);
  fs.writeFileSync(path.join(root, "Pulumi.yaml"), stringify({ name: "sovereign-ai-factory", runtime: "nodejs", backend: { url: projectUrl } }));
  if (backend !== undefined) {
    const doc = parse(fs.readFileSync(path.join(ROOT, "fleet", "Pulumi.management.yaml"), "utf8")) as { config: Record<string, { backend: string }> };
    doc.config["sovereign-ai-factory-fleet:fleet"]!.backend = backend;
    fs.mkdirSync(path.join(root, "fleet"));
    fs.writeFileSync(path.join(root, "fleet", "Pulumi.management.yaml"), stringify(doc));
  }
  return root;
}

describe("the production state backend", () => {
  it.each(["oslo", "rjukan"])("of %s is the fleet's, per site, in the country", (stack) => {
    const backend = productionStateBackend(stack, ROOT);
    expect(backend.verdict).toBe("in-country");
    expect(backend.url).toContain(`aifactory-pulumi-state/${stack}?`);
    expect(backend.host).toBe("s3.oslo-1.aifactory.no");
    expect(backend.source).toContain("PULUMI_BACKEND_URL");
  });

  it("is flagged foreign when the fleet's backend is a public cloud's", () => {
    const backend = productionStateBackend("oslo", projectWith("s3://state-bucket/{stack}?region=eu-north-1"));
    expect(backend).toMatchObject({ verdict: "foreign", host: "s3.amazonaws.com", url: "s3://state-bucket/oslo?region=eu-north-1" });
    expect(stateBackendSection(backend).join("\n")).toContain("**foreign: production state must live in an in-country store**");
  });

  it("of a stack in no fleet is Pulumi.yaml's, and file://~ is flagged as nobody's shared store", () => {
    const backend = productionStateBackend("stockholm", projectWith(undefined));
    expect(backend).toMatchObject({ url: "file://~", verdict: "unknown" });
    expect(backend.source).toContain("Pulumi.yaml");
    expect(stateBackendSection(backend).join("\n")).toContain("**unknown:");
    const s3 = productionStateBackend("stockholm", projectWith(undefined, "s3://state?endpoint=s3.oslo-1.aifactory.no"));
    expect(s3).toMatchObject({ verdict: "in-country", host: "s3.oslo-1.aifactory.no" });
  });

  it("is in the report", async () => {
    const outDir = fs.mkdtempSync(path.join(os.tmpdir(), "state-backend-plan-"));
    await planStack({ stack: "oslo", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir, program: () => main() });
    const report = fs.readFileSync(path.join(outDir, "report.md"), "utf8");
    expect(report).toContain("## Where state lives\n\nState backend in production: `s3://aifactory-pulumi-state/oslo?");
    fs.rmSync(outDir, { recursive: true, force: true });
  });
});
