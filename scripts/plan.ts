/**
 * `npm run plan`: plan stacks offline, with no Pulumi CLI, cluster or account.
 *
 *   npm run plan                         every Pulumi.<stack>.yaml here
 *   npm run plan -- --stack oslo         Pulumi.oslo.yaml
 *   npm run plan -- --config FILE        any stack file
 *   npm run plan -- --stack oslo --out DIR
 *   npm run plan -- --stack oslo --diff previous/plan.json
 *
 * Exit: 0 planned, 1 a mandatory policy is violated, 2 config or usage error
 * (including a config that yields an invalid Kubernetes object), 3 the
 * program itself failed.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { ExitCode, UsageError, planStack } from "../plan";
import program = require("../index");

const USAGE = "usage: npm run plan -- [--stack NAME | --config FILE] [--out DIR] [--diff PLAN.json]";

interface Target {
  readonly stack: string;
  readonly configFile: string;
  readonly outDir: string;
  readonly diffFile?: string;
}

/** The stack name of a stack file: `Pulumi.oslo.yaml` is `oslo`. */
function stackOfFile(file: string): string {
  const base = path.basename(file);
  const match = /^Pulumi\.(.+)\.ya?ml$/.exec(base);
  return match?.[1] ?? base.replace(/\.ya?ml$/, "");
}

function targets(argv: readonly string[]): Target[] {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { stack: { type: "string" }, config: { type: "string" }, out: { type: "string" }, diff: { type: "string" } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new UsageError(`${err instanceof Error ? err.message : String(err)}\n${USAGE}`);
  }
  if (values.stack !== undefined || values.config !== undefined) {
    const configFile = values.config ?? `Pulumi.${values.stack}.yaml`;
    const stack = values.stack ?? stackOfFile(configFile);
    if (!fs.existsSync(configFile)) throw new UsageError(`no stack file ${configFile}\n${USAGE}`);
    const diff = values.diff === undefined ? {} : { diffFile: values.diff };
    return [{ stack, configFile, outDir: values.out ?? path.join("out", stack), ...diff }];
  }
  if (values.diff !== undefined) throw new UsageError(`--diff needs --stack or --config\n${USAGE}`);
  const files = fs.readdirSync(".").filter((f) => /^Pulumi\..+\.ya?ml$/.test(f)).sort();
  if (files.length === 0) throw new UsageError(`no Pulumi.<stack>.yaml in ${process.cwd()}\n${USAGE}`);
  if (values.out !== undefined && files.length > 1) throw new UsageError(`--out needs --stack or --config\n${USAGE}`);
  return files.map((f) => ({ stack: stackOfFile(f), configFile: f, outDir: values.out ?? path.join("out", stackOfFile(f)) }));
}

async function planAll(argv: readonly string[]): Promise<number> {
  let worst: number = ExitCode.ok;
  for (const target of targets(argv)) {
    const outcome = await planStack({ ...target, program });
    if ("document" in outcome) {
      const { summary: s, violations, invalidObjects } = outcome.document;
      console.log(
        `${target.stack}: ${s.resources} resources, ${s.kubernetesObjects} Kubernetes objects, ` +
          `${s.mandatoryViolations} mandatory and ${s.advisoryViolations} advisory violations -> ${target.outDir}`,
      );
      for (const v of violations.filter((x) => x.enforcement === "mandatory")) console.error(`  [${v.policy}] ${v.message}`);
      for (const o of invalidObjects) console.error(`  [invalid] ${o.object}: ${o.problems.join("; ")}`);
    } else {
      console.error(`${target.stack}: ${outcome.message}`);
    }
    worst = Math.max(worst, outcome.exitCode);
  }
  return worst;
}

planAll(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (err: unknown) => {
    if (err instanceof UsageError) {
      console.error(err.message);
      process.exit(ExitCode.usage);
    }
    console.error(err);
    process.exit(ExitCode.internal);
  },
);
