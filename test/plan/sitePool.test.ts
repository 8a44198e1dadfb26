import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { type SiteResult, planSitesInParallel, planningThreads } from "../../plan/sitePool";
import { ROOT } from "../helpers";

/**
 * A stand-in planning thread in plain JavaScript (a worker cannot load the
 * TypeScript sources): it plans its jobs one at a time, as servePlanning
 * does, answering each after a delay the job names, so answers arrive out
 * of order; it records which thread planned it, and crashes on a job named
 * `crash`.
 */
const FAKE_PLANNER = `
const { parentPort, threadId } = require("node:worker_threads");
let queue = Promise.resolve();
parentPort.on("message", ({ id, job }) => {
  queue = queue.then(() => new Promise((resolve) => {
    if (job.stack === "crash") throw new Error("planner crashed");
    setTimeout(() => { parentPort.postMessage({ id, result: { exitCode: Number(job.configFile), out: [job.stack + " on " + threadId], err: [], violations: [] } }); resolve(); }, Number(job.outDir));
  })).catch((err) => setImmediate(() => { throw err; }));
});
`;

function fakePlanner(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "site-pool-"));
  const file = path.join(dir, "planner.cjs");
  fs.writeFileSync(file, FAKE_PLANNER);
  return file;
}

const job = (stack: string, exitCode: number, delayMs: number) => ({ stack, configFile: String(exitCode), outDir: String(delayMs) });

describe("planning sites in parallel", () => {
  it("uses one thread per core, never more than there are sites", () => {
    expect(planningThreads(5, 2)).toBe(2);
    expect(planningThreads(1, 8)).toBe(1);
    expect(planningThreads(3, 8)).toBe(3);
    expect(planningThreads(0, 2)).toBe(1);
  });

  it("reports every site in the order of the stack files, whatever order they finish in", async () => {
    const order: string[] = [];
    const jobs = [job("a", 0, 200), job("b", 1, 10), job("c", 2, 10), job("d", 0, 120), job("e", 0, 0)];
    const results = await planSitesInParallel(fakePlanner(), jobs, 2, (i, r) => void order.push(`${i}:${r.out[0]?.split(" ")[0] ?? ""}`));
    expect(order).toEqual(["0:a", "1:b", "2:c", "3:d", "4:e"]);
    expect(results.map((r) => r.exitCode)).toEqual([0, 1, 2, 0, 0]);
    // Two threads shared the five sites.
    expect(new Set(results.map((r) => r.out[0]?.split(" on ")[1])).size).toBe(2);
  });

  it("fails the sites of a thread that crashes (exit 3), and plans the rest on the other thread", async () => {
    // Each thread starts with one site: the first takes a, the second crash; c and d go to the first.
    const results: SiteResult[] = await planSitesInParallel(fakePlanner(), [job("a", 0, 300), job("crash", 0, 0), job("c", 0, 0), job("d", 0, 0)], 2, () => undefined);
    expect(results[1]).toEqual({ exitCode: 3, out: [], err: ["crash: the planning thread failed: planner crashed"] });
    expect(results.map((r) => r.exitCode)).toEqual([0, 3, 0, 0]);
  });
});

describe("npm run plan for every stack", () => {
  it("writes the same files and fleet.md planned in parallel as planned one by one", () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-parallel-"));
    try {
      for (const f of ["Pulumi.oslo.yaml", "Pulumi.rjukan.yaml"]) fs.copyFileSync(path.join(ROOT, f), path.join(dir, f));
      fs.mkdirSync(path.join(dir, "fleet"));
      fs.copyFileSync(path.join(ROOT, "fleet", "Pulumi.management.yaml"), path.join(dir, "fleet", "Pulumi.management.yaml"));
      const plan = (jobs: string) => {
        const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-compiled.cjs"), "scripts/plan.ts", "--jobs", jobs], { cwd: dir, encoding: "utf8" });
        expect(run.status, run.stderr).toBe(0);
        const files = filesUnder(path.join(dir, "out"));
        const contents = Object.fromEntries(files.map((f) => [path.relative(dir, f), fs.readFileSync(f, "utf8")]));
        fs.rmSync(path.join(dir, "out"), { recursive: true });
        return { stdout: run.stdout, contents };
      };
      const parallel = plan("2");
      const sequential = plan("1");
      expect(Object.keys(parallel.contents)).toContain("out/fleet.md");
      expect(parallel.contents).toEqual(sequential.contents);
      expect(parallel.stdout).toBe(sequential.stdout);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("refuses --jobs that is not a whole number of at least 1", () => {
    const run = spawnSync(process.execPath, [path.join(ROOT, "scripts", "run-compiled.cjs"), "scripts/plan.ts", "--jobs", "0"], { cwd: ROOT, encoding: "utf8" });
    expect(run.status).toBe(2);
    expect(run.stderr).toContain("--jobs must be a whole number of at least 1, not '0'");
  });
});

function filesUnder(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? filesUnder(path.join(dir, e.name)) : [path.join(dir, e.name)])).sort();
}

describe("planning sites in parallel with this thread among the planners", () => {
  it("plans the first site here and the next on a worker, before either takes more", async () => {
    const here: string[] = [];
    const planHere = async (j: { stack: string }): Promise<SiteResult> => {
      here.push(j.stack);
      await new Promise((r) => setTimeout(r, 150));
      return { exitCode: 0, out: [`${j.stack} here`], err: [], violations: [] };
    };
    const results = await planSitesInParallel(fakePlanner(), [job("a", 0, 0), job("b", 0, 0), job("c", 0, 0)], 2, () => undefined, planHere);
    expect(here[0]).toBe("a");
    // b went to the worker at once; c goes to whichever thread is free first.
    expect(results.map((r) => r.out[0]?.endsWith("here")).slice(0, 2)).toEqual([true, false]);
    expect(results).toHaveLength(3);
  });
});
