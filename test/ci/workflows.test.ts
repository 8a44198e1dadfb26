/**
 * The GitHub workflows, read as GitHub reads them: which jobs run pull-request
 * code, with which token permissions, and how the preview comment is found.
 */
import { spawnSync } from "node:child_process";
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

  it("edits only a comment the bot itself posted: a copied marker from anyone else is ignored (run with jq)", (ctx) => {
    const jq = spawnSync("jq", ["--version"], { encoding: "utf8" });
    if (jq.error !== undefined) {
      // CI installs jq (.ci/run); elsewhere: apt-get install jq
      if (process.env["CI"] === "true") throw new Error("jq is missing in CI: .ci/run installs it");
      console.log("skipped: jq is not installed (apt-get install jq)");
      ctx.skip();
    }
    const step = wf.jobs["comment"]!.steps.find((s) => (s.run ?? "").includes("--jq"))!;
    const filter = /--jq "((?:[^"\\]|\\.)*)"/.exec(step.run ?? "")?.[1]?.replace(/\\"/g, '"');
    expect(filter).toBeDefined();
    const env = (step as { env?: Record<string, string> }).env ?? {};
    const comments = [
      { id: 1, user: { login: "mallory", type: "User" }, body: `${marker}\nlooks like the preview, says something else` },
      { id: 2, user: { login: "github-actions[bot]", type: "Bot" }, body: "Pulumi preview: 3 to create" },
      { id: 3, user: { login: "github-actions[bot]", type: "Bot" }, body: `${marker}\n# Fleet` },
      { id: 4, user: { login: "github-actions[bot]", type: "Bot" }, body: `${marker}\n# later copy` },
    ];
    const run = spawnSync("jq", ["-r", filter!], {
      input: JSON.stringify(comments),
      encoding: "utf8",
      env: { ...process.env, COMMENT_MARKER: marker, BOT_LOGIN: env["BOT_LOGIN"] ?? "" },
    });
    expect(run.status, run.stderr).toBe(0);
    // The step takes the first id: the bot's own preview comment.
    expect(run.stdout.trim().split("\n")).toEqual(["3", "4"]);
    expect(env["BOT_LOGIN"]).toBe("github-actions[bot]");
  });

  it("still reports the verdict when the comment cannot be posted", () => {
    const verdict = wf.jobs["verdict"]!;
    expect(verdict.needs).toBe("plan");
    expect(verdict.steps[0]?.if).toBe("needs.plan.outputs.status != '0'");
  });
});
