/**
 * `npm run plan` as a measured process: the benchmark's plan runs and its
 * fleets. A probe required into the process reports, as it exits, its peak
 * resident set (getrusage's maxrss: what the operating system counts for
 * the whole process, every thread and the validation or planning workers
 * included; what `/usr/bin/time` prints) and, after a full GC, the heap its
 * main thread still retains.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { projectRoot } from "../plan/projectRoot";
import type { FleetRow, Sample } from "./report";
import { syntheticFleet } from "./synthetic";

const ROOT = projectRoot();
/** What `npm run plan` runs, after `node` (from package.json), with the script's path made absolute. */
export const PLAN_COMMAND: readonly string[] = (JSON.parse(fs.readFileSync(path.join(ROOT, "package.json"), "utf8")) as { scripts: { plan: string } }).scripts.plan
  .split(" ")
  .slice(1)
  .map((a) => (a.endsWith(".cjs") ? path.join(ROOT, a) : a));
/** Its V8 settings (the young generation's size), which the program and the floors run with too. */
export const PLAN_NODE_FLAGS: readonly string[] = PLAN_COMMAND.slice(0, PLAN_COMMAND.findIndex((a) => !a.startsWith("--")));

/** Resources planned under `out/`: one plan.json, or one per stack folder. */
function plannedResources(outDir: string): number {
  const single = path.join(outDir, "plan.json");
  const files = fs.existsSync(single)
    ? [single]
    : fs.readdirSync(outDir).map((d) => path.join(outDir, d, "plan.json")).filter((f) => fs.existsSync(f));
  return files.reduce((n, f) => n + (JSON.parse(fs.readFileSync(f, "utf8")) as { summary: { resources: number } }).summary.resources, 0);
}

/**
 * `npm run plan -- ARGS` in `cwd` (without npm), its outputs under
 * `cwd/out` unless ARGS say otherwise; the exit codes it may end with.
 */
export function measurePlanProcess(cwd: string, args: readonly string[], outDir: string, exitCodes: readonly number[] = [0]): Sample {
  const probe = path.join(cwd, "probe.cjs");
  const report = path.join(cwd, "probe.json");
  fs.writeFileSync(
    probe,
    // The exit time is taken before the measuring GC, which is not the plan's.
    `process.on("exit", () => { const exitAt = Date.now(); globalThis.gc(); globalThis.gc(); require("node:fs").writeFileSync(${JSON.stringify(report)}, JSON.stringify({ ` +
      `exitAt, peakRssMb: Math.round(process.resourceUsage().maxRSS / 1024), retainedHeapMb: Math.round(process.memoryUsage().heapUsed / 2 ** 20) })); });`,
  );
  const start = Date.now();
  const run = spawnSync(process.execPath, ["--expose-gc", "--require", probe, ...PLAN_COMMAND, ...args], { cwd, encoding: "utf8" });
  if (run.status === null || !exitCodes.includes(run.status)) throw new Error(`the plan failed (exit ${String(run.status)}): ${run.stderr}`);
  const { exitAt, ...figures } = JSON.parse(fs.readFileSync(report, "utf8")) as { exitAt: number; peakRssMb: number; retainedHeapMb: number };
  const processMs = exitAt - start;
  return { resources: plannedResources(outDir), stepMs: processMs, processMs, ...figures };
}

/** Every file under a folder with its contents, by relative path. */
function contents(dir: string, base: string = dir): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const file = path.join(dir, e.name);
    if (e.isDirectory()) Object.assign(out, contents(file, base));
    else out[path.relative(base, file)] = fs.readFileSync(file, "utf8");
  }
  return out;
}

function sameFiles(a: Record<string, string>, b: Record<string, string>): boolean {
  const keys = Object.keys(a).sort();
  return keys.length === Object.keys(b).length && keys.every((k) => a[k] === b[k]);
}

/**
 * A generated fleet of `sites` sites planned as `npm run plan` plans a
 * project's stacks: one by one (`--jobs 1`), then in parallel (one per
 * core), and whether both wrote the same files, fleet.md included. The
 * generated fleet breaks fleet rules (regions repeat), so both exit 1.
 */
export function measureFleet(sites: number): FleetRow {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `bench-fleet-${sites}-`));
  try {
    for (const [file, text] of Object.entries(syntheticFleet(ROOT, sites))) fs.writeFileSync(path.join(dir, file), text);
    const out = path.join(dir, "out");
    const sequential = measurePlanProcess(dir, ["--jobs", "1"], out, [0, 1]);
    const one = contents(out);
    fs.rmSync(out, { recursive: true });
    const parallel = measurePlanProcess(dir, [], out, [0, 1]);
    return { sites, sequential, parallel, identical: "fleet.md" in one && sameFiles(one, contents(out)) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
