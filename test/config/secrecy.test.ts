/**
 * A value set with `pulumi config set --secret` in our namespace would be
 * read as plain text (the SDK's warning for that is switched off), so the
 * program refuses it, naming the key, before it declares anything.
 */
import { describe, expect, it } from "vitest";
import { ConfigError } from "../../config";
import { ProgramError, programResources, runProgram } from "../../plan";
import { main } from "../../program";
import { main as fleetMain } from "../../fleet/program";
import { readStackConfig } from "../../plan";
import * as path from "node:path";
import { ROOT } from "../helpers";
import { osloRaw, toEngineConfig } from "../helpers";

async function failure(secretKeys: string[]): Promise<ProgramError | undefined> {
  try {
    await runProgram({ stack: "test", config: toEngineConfig(osloRaw()), secretKeys, program: main });
    return undefined;
  } catch (err) {
    if (err instanceof ProgramError) return err;
    throw err;
  }
}

describe("secret config", () => {
  it("in our namespace is refused, naming the key, and nothing is declared", async () => {
    const err = await failure(["sovereign-ai-factory:storage"]);
    expect(err?.cause).toBeInstanceOf(ConfigError);
    expect((err?.cause as ConfigError).problems.map((p) => p.path)).toEqual(["storage"]);
    expect(err?.message).toContain("  - storage: is set as a secret ('pulumi config set --secret'), but no key of sovereign-ai-factory holds a secret");
    expect(programResources(err!)).toHaveLength(0);
  });

  it("is refused for a key no section reads too, along with the unknown key", async () => {
    const config = { ...toEngineConfig(osloRaw()), "sovereign-ai-factory:apiToken": "s3cr3t" };
    let caught: unknown;
    try {
      await runProgram({ stack: "test", config, secretKeys: ["sovereign-ai-factory:apiToken"], program: main });
    } catch (err) {
      caught = err;
    }
    const problems = ((caught as ProgramError).cause as ConfigError).problems.map((p) => p.path);
    expect(problems).toEqual(["apiToken", "apiToken"]);
    expect((caught as ProgramError).message).not.toContain("s3cr3t");
  });

  it("of another namespace (a provider's credentials) is left to its owner", async () => {
    expect(await failure(["kubernetes:kubeconfig"])).toBeUndefined();
  });
});

describe("secret fleet config", () => {
  it("is refused, naming the key, before the fleet declares anything", async () => {
    const config = readStackConfig(path.join(ROOT, "fleet", "Pulumi.management.yaml"));
    const run = (secretKeys: string[]) => runProgram({ stack: "management", project: "sovereign-ai-factory-fleet", config, secretKeys, program: fleetMain });
    await expect(run([])).resolves.toBeDefined();
    let caught: unknown;
    try {
      await run(["sovereign-ai-factory-fleet:fleet"]);
    } catch (err) {
      caught = err;
    }
    expect(((caught as ProgramError).cause as ConfigError).problems.map((p) => p.path)).toEqual(["fleet"]);
    expect(programResources(caught as ProgramError)).toHaveLength(0);
  });
});
