/**
 * Validation on a worker thread (plan/validationThread.ts) answers exactly
 * what validation in this thread answers, fails loudly when the worker
 * dies, and warms every kind a site writes.
 */
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import * as k8s from "@pulumi/kubernetes";
import { type KubernetesObject, hasUpstreamSchema, kubernetesObjects, planStack, programResources, runProgram, readStackConfig } from "../../plan";
import { WARM_KINDS, inThread, validationThread } from "../../plan/validationThread";
import { main } from "../../program";
import { ROOT } from "../helpers";

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "validation-thread-"));
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Compiled {
  compiled: (target: { root: string; entry: string }) => { file: string };
}

/** The worker as `npm run plan` starts it: the compiled plan script, run as a thread. */
function planScript(): string {
  const { compiled } = require(path.join(ROOT, "scripts", "run-compiled.cjs")) as Compiled;
  return compiled({ root: ROOT, entry: "scripts/plan.ts" }).file;
}

const OBJECTS: KubernetesObject[] = [
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "ok" } },
  { apiVersion: "v1", kind: "Namespace", metadata: { name: "Not_A_Name" } },
  { apiVersion: "v1", kind: "ConfigMap", metadata: { name: "cm", labels: { "aifactory.no/site": "not a label value" } } },
  { apiVersion: "apps/v1", kind: "Deployment", metadata: { name: "d" }, spec: { replicas: "three" } },
  { apiVersion: "gateway.networking.k8s.io/v1", kind: "HTTPRoute", metadata: { name: "r" }, spec: { hostnames: ["*.*.bad"] } },
  { apiVersion: "kueue.x-k8s.io/v1beta2", kind: "LocalQueue", metadata: { name: "q", namespace: "t" }, spec: {} },
  { apiVersion: "example.com/v1", kind: "Unknown", metadata: { name: "u" } },
];

describe("validation on a worker thread", () => {
  it("gives every object the problems validation in this thread gives it", async () => {
    const thread = validationThread(planScript());
    try {
      const expected = await inThread.validate(OBJECTS);
      expect(expected.filter((p) => p.length > 0).length).toBeGreaterThanOrEqual(5);
      expect(await thread.validate(OBJECTS)).toEqual(expected);
      // A second batch on the same worker.
      expect(await thread.validate(OBJECTS.slice(0, 2))).toEqual(expected.slice(0, 2));
    } finally {
      await thread.close();
    }
  });

  it("fails the validation, not silently passes it, when the worker dies", async () => {
    const broken = path.join(tmp, "broken.cjs");
    fs.writeFileSync(broken, 'throw new Error("worker broke");\n');
    const thread = validationThread(broken);
    await expect(thread.validate(OBJECTS)).rejects.toThrow(/validation thread: worker broke/);
    await thread.close();
  });

  it("is what a plan uses to find an object Kubernetes would reject", async () => {
    const validator = validationThread(planScript());
    const program = () => {
      new k8s.core.v1.ConfigMap("bad", { metadata: { name: "bad", labels: { "aifactory.no/site": "not a label value" } } });
      return {};
    };
    try {
      const outcome = await planStack({ stack: "bad", configFile: path.join(ROOT, "Pulumi.oslo.yaml"), outDir: path.join(tmp, "bad"), program, validator });
      expect(outcome.exitCode).toBe(2);
      expect("document" in outcome && outcome.document.invalidObjects).toEqual([
        { object: "ConfigMap bad", problems: ['label "aifactory.no/site" has an invalid value "not a label value"'] },
      ]);
    } finally {
      await validator.close();
    }
  });

  it("warms every kind with an upstream schema that a site or an example writes", async () => {
    const files = [
      ...fs.readdirSync(ROOT).filter((f) => /^Pulumi\..+\.yaml$/.test(f)),
      ...fs.readdirSync(path.join(ROOT, "examples")).filter((f) => /^Pulumi\..+\.yaml$/.test(f)).map((f) => `examples/${f}`),
    ];
    const written = new Set<string>();
    for (const file of files) {
      const run = await runProgram({ stack: "warm", config: readStackConfig(path.join(ROOT, file)), program: () => main() });
      for (const o of kubernetesObjects(programResources(run))) if (hasUpstreamSchema(o) && !o.apiVersion.startsWith("kueue.")) written.add(`${o.apiVersion} ${o.kind}`);
    }
    expect(written.size).toBeGreaterThan(15);
    const warm = new Set(WARM_KINDS.map(([apiVersion, kind]) => `${apiVersion} ${kind}`));
    expect([...written].filter((k) => !warm.has(k))).toEqual([]);
    // Every warm kind has a schema to compile.
    expect(WARM_KINDS.filter(([apiVersion, kind]) => !hasUpstreamSchema({ apiVersion, kind }))).toEqual([]);
  });
});
