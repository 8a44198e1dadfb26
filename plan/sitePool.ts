/**
 * Planning a project's sites in parallel, at most one thread per core: the
 * main thread plans sites too, and worker threads plan the others. Each
 * worker is the plan script itself (as the validation worker is), runs the
 * site's plan exactly as the main thread would (the same program, the same
 * validation, in its own thread),
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

/** Jobs a planning thread holds at a time: the one it plans and the next, so it never waits for this thread between sites. */
const AHEAD = 2;

/**
 * Plans every job on `threads` threads: this one (with `planHere`) and
 * worker threads running `entry` (a script that calls `servePlanning` when
 * `isPlanningWorker(workerData)`). `onResult` is called in the order of the
 * jobs, each as soon as it and every job before it are done. A worker that
 * fails fails its jobs with exit 3; the others plan the rest.
 */
export async function planSitesInParallel(
  entry: string,
  jobs: readonly SiteJob[],
  threads: number,
  onResult: (index: number, result: SiteResult) => void,
  planHere?: (job: SiteJob) => Promise<SiteResult>,
): Promise<SiteResult[]> {
  const results: (SiteResult | undefined)[] = jobs.map(() => undefined);
  let reported = 0;
  const settle = (index: number, result: SiteResult) => {
    results[index] = result;
    for (let r = results[reported]; r !== undefined && reported < jobs.length; r = results[reported]) onResult(reported++, r);
  };
  let next = 0;
  const take = (): number | undefined => (next < jobs.length ? next++ : undefined);
  const workers = planningThreads(jobs.length, threads) - (planHere === undefined ? 0 : 1);
  const data: PlanningWorkerData = { role: "plan" };
  // This thread's first site is taken before the workers take theirs.
  const first = planHere === undefined ? undefined : take();
  const running = Array.from({ length: Math.max(0, workers) }, () => runWorker(new Worker(entry, { workerData: data }), jobs, take, settle));
  if (planHere !== undefined) {
    for (let i = first; i !== undefined; i = take()) settle(i, await planHere(jobs[i] as SiteJob).catch((err: unknown) => failed(jobs[i], err)));
  }
  await Promise.all(running);
  for (let i = 0; i < jobs.length; i++) if (results[i] === undefined) settle(i, failed(jobs[i], new Error("no planning thread was left to plan it")));
  return results as SiteResult[];
}

/** One worker: keeps AHEAD jobs with it until none is left, then ends it. */
function runWorker(worker: Worker, jobs: readonly SiteJob[], take: () => number | undefined, settle: (i: number, r: SiteResult) => void): Promise<void> {
  return new Promise<void>((resolve) => {
    const held = new Set<number>();
    // One site to start with, then one ahead: the sites are shared out as threads become free.
    const give = (ahead: number) => {
      while (held.size < ahead) {
        const i = take();
        if (i === undefined) break;
        held.add(i);
        const job = jobs[i];
        if (job !== undefined) worker.postMessage({ id: i, job } satisfies Request);
      }
      if (held.size === 0) void worker.terminate().then(() => { resolve(); });
    };
    worker.on("message", (reply: Reply) => {
      held.delete(reply.id);
      settle(reply.id, reply.result);
      give(AHEAD);
    });
    worker.on("error", (err) => {
      for (const i of held) settle(i, failed(jobs[i], err));
      held.clear();
      resolve();
    });
    give(1);
  });
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
  // One job at a time, in the order they came (the SDK runs one program per thread).
  let queue = Promise.resolve();
  port.on("message", (request) => {
    queue = queue.then(() =>
      plan(request.job).then(
        (result) => {
          port.postMessage({ id: request.id, result });
        },
        (err: unknown) => {
          port.postMessage({ id: request.id, result: failed(request.job, err) });
        },
      ),
    );
  });
}
