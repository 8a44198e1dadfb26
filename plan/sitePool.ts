/**
 * Planning a project's sites in parallel: one worker thread per site at a
 * time, at most one per core. Each worker is the plan script itself (as
 * the validation worker is), runs the site's plan exactly as the main
 * thread would (the same program, the same validation, in its own thread),
 * writes its outputs and answers with what the main thread prints and what
 * the fleet rules need. The main thread prints each site's lines in the
 * order of the stack files and builds the fleet from the results in that
 * order, so the console, every output file and `fleet.md` are the same as
 * planned one by one. This module imports no SDK: the main thread never
 * loads it for the sites.
 */
import * as os from "node:os";
import { Worker } from "node:worker_threads";
import type { PolicyViolation } from "../guardRails/judge";

/** One site to plan, as the command line gives it. */
export interface SiteJob {
  readonly stack: string;
  readonly configFile: string;
  readonly outDir: string;
  readonly diffFile?: string;
}

/** What planning one site produced, for the console and the fleet. */
export interface SiteResult {
  readonly exitCode: number;
  /** Lines for standard output, then standard error, in order. */
  readonly out: readonly string[];
  readonly err: readonly string[];
  /** The plan's violations; absent when the site did not plan. */
  readonly violations?: readonly PolicyViolation[];
}

/** What the main thread sends a planning worker at start. */
export interface PlanningWorkerData {
  readonly role: "plan";
}

type Request = { readonly id: number; readonly job: SiteJob };
type Reply = { readonly id: number; readonly result: SiteResult };

/** Whether this thread was started by `planSitesInParallel`. */
export function isPlanningWorker(data: unknown): data is PlanningWorkerData {
  return typeof data === "object" && data !== null && (data as { role?: unknown }).role === "plan";
}

/** How many sites at once: one per core, never more than there are sites (and at least one). */
export function planningThreads(sites: number, cores: number = os.availableParallelism()): number {
  return Math.max(1, Math.min(sites, cores));
}

/**
 * Plans every job on `threads` worker threads running `entry` (a script that
 * calls `servePlanning` when `isPlanningWorker(workerData)`). `onResult` is
 * called in the order of the jobs, each as soon as it and every job before it
 * are done. A worker that fails fails its job with exit 3.
 */
export async function planSitesInParallel(
  entry: string,
  jobs: readonly SiteJob[],
  threads: number,
  onResult: (index: number, result: SiteResult) => void,
): Promise<SiteResult[]> {
  const results: (SiteResult | undefined)[] = jobs.map(() => undefined);
  let reported = 0;
  const settle = (index: number, result: SiteResult) => {
    results[index] = result;
    for (let r = results[reported]; r !== undefined && reported < jobs.length; r = results[reported]) onResult(reported++, r);
  };
  let next = 0;
  const run = (worker: Worker) =>
    new Promise<void>((resolve) => {
      let current = -1;
      const give = () => {
        if (next >= jobs.length) {
          void worker.terminate().then(() => { resolve(); });
          return;
        }
        current = next++;
        const job = jobs[current];
        if (job !== undefined) worker.postMessage({ id: current, job } satisfies Request);
      };
      worker.on("message", (reply: Reply) => {
        settle(reply.id, reply.result);
        give();
      });
      worker.on("error", (err) => {
        if (current >= 0 && results[current] === undefined) settle(current, failed(jobs[current], err));
        // Its remaining jobs go to the other workers; with none left, they fail below.
        resolve();
      });
      give();
    });
  const data: PlanningWorkerData = { role: "plan" };
  await Promise.all(Array.from({ length: planningThreads(jobs.length, threads) }, () => run(new Worker(entry, { workerData: data }))));
  for (let i = 0; i < jobs.length; i++) if (results[i] === undefined) settle(i, failed(jobs[i], new Error("no planning thread was left to plan it")));
  return results as SiteResult[];
}

function failed(job: SiteJob | undefined, err: unknown): SiteResult {
  const message = err instanceof Error ? err.message : String(err);
  return { exitCode: 3, out: [], err: [`${job?.stack ?? "?"}: the planning thread failed: ${message}`] };
}

/** The worker's side: plan each job it is given with `plan`, answer with its result. */
export function servePlanning(
  port: { on(event: "message", listener: (r: Request) => void): void; postMessage(reply: Reply): void },
  plan: (job: SiteJob) => Promise<SiteResult>,
): void {
  // One job at a time: the main thread sends the next only after this one's answer.
  port.on("message", (request) => {
    void plan(request.job).then(
      (result) => { port.postMessage({ id: request.id, result }); },
      (err: unknown) => { port.postMessage({ id: request.id, result: failed(request.job, err) }); },
    );
  });
}
