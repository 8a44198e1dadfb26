/**
 * Prometheus' own rule tester, `promtool test rules` (Debian's `prometheus`
 * package, 2.42 on bookworm). Tests that need it skip with a line saying how
 * to install it; under CI (`CI=true`) a missing promtool is a failure.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";

/** How to get promtool on Debian or Ubuntu. */
export const PROMTOOL_INSTALL = "apt-get install -y --no-install-recommends prometheus";

/** The promtool on PATH, or undefined. */
export function findPromtool(): string | undefined {
  for (const dir of (process.env["PATH"] ?? "").split(path.delimiter)) {
    const candidate = path.join(dir, "promtool");
    if (dir !== "" && fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

/** Whether promtool tests run here; throws under CI when promtool is missing (CI never skips them). */
export function promtoolAvailable(): boolean {
  const found = findPromtool() !== undefined;
  if (!found && process.env["CI"] === "true") throw new Error(`promtool is missing under CI: install it (${PROMTOOL_INSTALL})`);
  if (!found) console.warn(`skipping promtool rule tests: promtool is not installed (${PROMTOOL_INSTALL})`);
  return found;
}

/** Runs `promtool test rules` on test files in `dir`; its exit status and everything it printed. */
export function promtoolTestRules(dir: string, testFiles: readonly string[]): { status: number; output: string } {
  const run = spawnSync(findPromtool() ?? "promtool", ["test", "rules", ...testFiles], { cwd: dir, encoding: "utf8", timeout: 300_000 });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}

/** Runs `promtool check rules` on a rule file in `dir`. */
export function promtoolCheckRules(dir: string, ruleFile: string): { status: number; output: string } {
  const run = spawnSync(findPromtool() ?? "promtool", ["check", "rules", ruleFile], { cwd: dir, encoding: "utf8", timeout: 60_000 });
  return { status: run.status ?? -1, output: `${run.stdout}${run.stderr}` };
}
