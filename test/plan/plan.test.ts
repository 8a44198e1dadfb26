import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse, stringify } from "yaml";
import { REDACTED, UNKNOWN, engineConfig, planStack, plainValue, UsageError } from "../../plan";
import { main } from "../../program";
import { ROOT, osloWith } from "../helpers";

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), "aifactory-plan-"));
}

/** Writes raw config sections as a stack file. */
function writeStackFile(dir: string, raw: Record<string, unknown>): string {
  const config: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(raw)) config[`sovereign-ai-factory:${key}`] = value;
  const file = path.join(dir, "Pulumi.test.yaml");
  fs.writeFileSync(file, stringify({ config }));
  return file;
}

function runCli(args: string[]) {
  return spawnSync(process.execPath, [path.join(ROOT, "node_modules/tsx/dist/cli.mjs"), "scripts/plan.ts", ...args], {
    cwd: ROOT,
    encoding: "utf8",
  });
}

describe("planStack", () => {
  it("writes every Kubernetes object as a manifest and the resources to plan.json", async () => {
    const out = tempDir();
    const outcome = await planStack({
      stack: "oslo",
      configFile: path.join(ROOT, "Pulumi.oslo.yaml"),
      outDir: out,
      program: main,
    });
    expect(outcome.exitCode).toBe(0);
    const plan = JSON.parse(fs.readFileSync(path.join(out, "plan.json"), "utf8")) as {
      stack: string;
      resources: { type: string }[];
      summary: { kubernetesObjects: number };
    };
    expect(plan.stack).toBe("oslo");
    expect(plan.resources.some((r) => r.type === "kubernetes:core/v1:Namespace")).toBe(true);
    const ns = parse(fs.readFileSync(path.join(out, "manifests/_cluster/namespace-public-services.yaml"), "utf8")) as {
      kind: string;
      metadata: { labels: Record<string, string> };
    };
    expect(ns.kind).toBe("Namespace");
    expect(ns.metadata.labels["pod-security.kubernetes.io/enforce"]).toBe("restricted");
    const files = fs.readdirSync(path.join(out, "manifests"), { recursive: true }).filter((f) => String(f).endsWith(".yaml"));
    expect(files).toHaveLength(plan.summary.kubernetesObjects);
  });

  it("exits 2 with the problems on an invalid config, and writes nothing", async () => {
    const dir = tempDir();
    const out = path.join(dir, "out");
    const outcome = await planStack({
      stack: "test",
      configFile: writeStackFile(dir, osloWith({ "site.zones[0]": "eu-north-1a" })),
      outDir: out,
      program: main,
    });
    expect(outcome).toEqual({
      exitCode: 2,
      message: expect.stringContaining(
        "site.zones[0]: must be a zone of no-oslo-1: the region name plus one letter, e.g. no-oslo-1a",
      ) as unknown,
    });
    expect(fs.existsSync(out)).toBe(false);
  });
});

describe("npm run plan", () => {
  it("plans the Oslo stack into --out and exits 0", () => {
    const out = tempDir();
    const result = runCli(["--stack", "oslo", "--out", out]);
    expect(result.status, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^oslo: \d+ resources, \d+ Kubernetes objects/m);
    expect(fs.existsSync(path.join(out, "manifests/aifactory-system/configmap-site.yaml"))).toBe(true);
  });

  it("exits 2 naming the key path for an invalid stack file", () => {
    const dir = tempDir();
    const file = writeStackFile(dir, osloWith({ "gpuPools[2].gpusPerNode": 3 }));
    const result = runCli(["--config", file, "--out", path.join(dir, "out")]);
    expect(result.status).toBe(2);
    expect(result.stderr).toContain("gpuPools[2].gpusPerNode: must be 1, 2, 4 or 8 for l40s");
  });

  it("exits 2 on an unknown option or a missing stack file", () => {
    expect(runCli(["--stak", "oslo"]).status).toBe(2);
    const missing = runCli(["--stack", "bergen"]);
    expect(missing.status).toBe(2);
    expect(missing.stderr).toContain("no stack file Pulumi.bergen.yaml");
  });
});

describe("engine config from a stack file", () => {
  it("passes strings as they are and objects as JSON", () => {
    expect(engineConfig({ "a:s": "x", "a:o": { k: [1] } })).toEqual({ "a:s": "x", "a:o": '{"k":[1]}' });
  });

  it("refuses encrypted values it cannot decrypt", () => {
    expect(() => engineConfig({ "a:key": { secure: "v1:abc" } })).toThrow(UsageError);
  });
});

describe("plainValue", () => {
  const sig = "4dabf18193072939515e22adb298388d";
  it("hides secrets wherever they are nested", () => {
    const secret = { [sig]: "1b47061264138c4ac30d75fd1eb44270", value: "hunter2" };
    expect(plainValue({ a: [{ b: secret }], c: "plain" })).toEqual({ a: [{ b: REDACTED }], c: "plain" });
    expect(JSON.stringify(plainValue({ deep: { deeper: secret } }))).not.toContain("hunter2");
  });

  it("hides secret output values and marks unknowns", () => {
    const out = { [sig]: "d0e6a833031e9bbcd3f4e8bde6ca49a4", value: "k", secret: true };
    expect(plainValue([out, "04da6b54-80e4-46f7-96ec-b56ff0331ba9"])).toEqual([REDACTED, UNKNOWN]);
  });
});
