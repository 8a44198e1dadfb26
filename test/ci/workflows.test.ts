/**
 * The GitHub workflows, read as GitHub reads them: which jobs run pull-request
 * code, with which token permissions, and how the preview comment is found.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { ROOT } from "../helpers";

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; if?: string }
interface Job { if?: string; permissions?: Record<string, string>; steps: Step[]; needs?: string | string[] }
interface Workflow { on: Record<string, unknown>; permissions?: Record<string, string>; env?: Record<string, string>; jobs: Record<string, Job> }

const read = (name: string) => parse(fs.readFileSync(path.join(ROOT, ".github/workflows", name), "utf8")) as Workflow;
const WORKFLOWS = fs.readdirSync(path.join(ROOT, ".github/workflows")).filter((f) => f.endsWith(".yml"));

/** The permissions a job's token has: its own, else the workflow's. */
const permissionsOf = (wf: Workflow, job: Job) => job.permissions ?? wf.permissions ?? {};
const writes = (perms: Record<string, string>) => Object.entries(perms).filter(([, v]) => v === "write").map(([k]) => k);
/** Whether a job runs code from the checked-out tree (installs or scripts). */
const runsCheckedOutCode = (job: Job) => job.steps.some((s) => s.uses?.startsWith("actions/checkout")) && job.steps.some((s) => /\bnpm (ci|run|test)\b|pulumi\/actions/.test(s.run ?? s.uses ?? ""));
const sameRepoOnly = (job: Job) => (job.if ?? "").includes("github.event.pull_request.head.repo.full_name == github.repository");

describe("the workflows", () => {
  it.each(WORKFLOWS)("%s: no checkout keeps the token in .git/config", (name) => {
    for (const job of Object.values(read(name).jobs)) {
      for (const step of job.steps.filter((s) => s.uses?.startsWith("actions/checkout"))) {
        expect(step.with?.["persist-credentials"], name).toBe(false);
      }
    }
  });

  it.each(WORKFLOWS)("%s: a job that runs pull-request code and can write runs only for pull requests from this repository", (name) => {
    const wf = read(name);
    for (const [id, job] of Object.entries(wf.jobs)) {
      if (runsCheckedOutCode(job) && writes(permissionsOf(wf, job)).length > 0) expect(sameRepoOnly(job), `${name}: ${id}`).toBe(true);
    }
  });
});

describe("the pull-request preview", () => {
  const wf = read("preview.yml");
  const marker = wf.env?.["COMMENT_MARKER"] ?? "";

  it("plans with a read-only token and posts from a job that runs no pull-request code, skipped for forks", () => {
    expect(writes(permissionsOf(wf, wf.jobs["plan"]!))).toEqual([]);
    const comment = wf.jobs["comment"]!;
    expect(writes(permissionsOf(wf, comment))).toEqual(["pull-requests"]);
    expect(comment.steps.some((s) => s.uses?.startsWith("actions/checkout"))).toBe(false);
    expect(sameRepoOnly(comment)).toBe(true);
    expect(writes(wf.permissions ?? {})).toEqual([]);
  });

  it("finds its own comment by its marker, never by who posted last", () => {
    const scripts = Object.values(wf.jobs).flatMap((j) => j.steps.map((s) => s.run ?? "")).join("\n");
    expect(scripts).not.toContain("--edit-last");
    expect(marker).toMatch(/^<!-- .+ -->$/);
    const plan = wf.jobs["plan"]!.steps.map((s) => s.run ?? "").join("\n");
    const comment = wf.jobs["comment"]!.steps.map((s) => s.run ?? "").join("\n");
    expect(plan).toContain('echo "$COMMENT_MARKER" > "$body"');
    expect(comment).toContain("startswith(env.COMMENT_MARKER)");
    expect(comment).toMatch(/--method PATCH "repos\/\$REPO\/issues\/comments\/\$id"/);
  });

  it("still reports the verdict when the comment cannot be posted", () => {
    const verdict = wf.jobs["verdict"]!;
    expect(verdict.needs).toBe("plan");
    expect(verdict.steps[0]?.if).toBe("needs.plan.outputs.status != '0'");
  });
});
