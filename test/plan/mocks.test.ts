import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { describe, expect, it } from "vitest";
import { mockClusterIp, mockUid, planMocks, runProgram } from "../../plan";

describe("the plan's mocks", () => {
  it("give computed values that look like the real ones, the same on every run", () => {
    expect(mockUid("a")).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-a[0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(mockUid("a")).toBe(mockUid("a"));
    expect(mockUid("a")).not.toBe(mockUid("b"));
    expect(mockClusterIp("svc")).toMatch(/^10\.(9[6-9]|10[0-9]|11[01])\.\d{1,3}\.\d{1,3}$/);
  });

  it("let a program read a Service's cluster IP and a namespace's phase, as under preview", async () => {
    let seen: unknown;
    await runProgram({
      stack: "mocks",
      config: {},
      mocks: planMocks,
      program: () => {
        const svc = new k8s.core.v1.Service("api", { metadata: { name: "api" }, spec: { ports: [{ port: 80 }] } });
        const ns = new k8s.core.v1.Namespace("ns", { metadata: { name: "ns" } });
        pulumi.all([svc.spec.clusterIP, ns.status.phase, svc.metadata.uid]).apply((v) => (seen = v));
        return {};
      },
    });
    expect(seen).toEqual([mockClusterIp("api"), "Active", mockUid("api")]);
  });

  it("turn the SDK's stack capture off for a run unless asked for, and put it back afterwards", async () => {
    const limit = Error.stackTraceLimit;
    const seen: number[] = [];
    const program = () => {
      seen.push(Error.stackTraceLimit, (pulumi.Resource as unknown as { callsites(): unknown[] }).callsites().length);
      return {};
    };
    await runProgram({ stack: "mocks", config: {}, program });
    await runProgram({ stack: "mocks", config: {}, program, captureStacks: true });
    expect(seen.slice(0, 2)).toEqual([0, 0]);
    expect(seen[3]).toBeGreaterThan(0);
    expect(Error.stackTraceLimit).toBe(limit);
  });
});
