/**
 * The site program's check of the whole site before it declares anything:
 * the plan's own machinery (the program under the SDK's mock runtime, then
 * every policy of the pack, resource and stack policies alike) run in a child
 * process on the stack's config. A mandatory violation stops the program
 * with the pack's messages, and no resource is registered. It costs a few
 * seconds per `pulumi preview` or `up`; the offline plan skips it (it runs
 * the pack itself and reports every violation).
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { GuardRailError } from "../components/guardRails";
import { projectRoot } from "./projectRoot";

/** What the child reports. */
export interface PreflightResult {
  readonly violations?: readonly { policy: string; message: string }[];
  readonly error?: string;
}

/** Runs the site's policies on the stack's config; throws GuardRailError on a mandatory violation. */
export function preflight(): void {
  const input = JSON.stringify({ stack: pulumi.getStack(), config: pulumi.runtime.allConfig() });
  const child = spawnSync(
    process.execPath,
    ["-r", require.resolve("ts-node/register/transpile-only"), path.join(projectRoot(), "plan", "preflightChild.ts")],
    { input, encoding: "utf8", cwd: projectRoot(), maxBuffer: 64 * 1024 * 1024 },
  );
  let result: PreflightResult;
  try {
    result = JSON.parse(child.stdout) as PreflightResult;
  } catch {
    throw new pulumi.RunError(`the guard rails' site check could not run: ${child.stderr.trim() === "" ? (child.error?.message ?? `exit ${String(child.status)}`) : child.stderr}`);
  }
  if (result.error !== undefined) throw new pulumi.RunError(`the guard rails' site check failed: ${result.error}`);
  if (result.violations !== undefined && result.violations.length > 0) throw new GuardRailError(result.violations);
}
