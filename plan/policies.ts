/**
 * Running the policy pack on a plan, two ways that must agree (a test holds
 * them to it):
 *
 * - `analyzer`: through @pulumi/policy's own analyzer handlers. Each recorded
 *   resource becomes the Analyze request the engine sends during
 *   `pulumi preview`, the whole stack one AnalyzeStack request; config,
 *   deserialisation and reporting are the pack's own code.
 * - `direct` (what the plan uses): the same policy objects called with the
 *   same arguments, minus the protobuf round trip and the property proxies,
 *   which cost far more than the policies themselves.
 */
import type { Policies } from "@pulumi/policy";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import policyPackage from "../policies/package.json";
import { POLICY_PACK_NAME, policies as packPolicies } from "../policies/policies";
import { type PolicyViolation, judgeResources, providerRefs } from "../guardRails/judge";
import type { RecordedResource } from "./monitor";

export type { PolicyViolation } from "../guardRails/judge";

type Callback = (err: unknown, res?: analyzer.AnalyzeResponse) => void;
type RpcFun = (call: { request: unknown }, callback: Callback) => Promise<void>;
type MakeRpcFun = (pack: string, version: string, level: string, policies: Policies) => RpcFun;

// The analyzer handlers are @internal in @pulumi/policy's typings, but they are
// exactly what `new PolicyPack` serves over gRPC.
const server = require("@pulumi/policy/server") as { makeAnalyzeRpcFun: MakeRpcFun; makeAnalyzeStackRpcFun: MakeRpcFun };

/** The pack's version, from its package.json, as the engine would report it. */
export const POLICY_PACK_VERSION: string = policyPackage.version;

function options(r: RecordedResource): analyzer.AnalyzerResourceOptions {
  const opts = new analyzer.AnalyzerResourceOptions();
  opts.setProtect(r.options.protect);
  if (r.parent) opts.setParent(r.parent);
  return opts;
}

function providerOf(r: RecordedResource, byRef: Map<string, RecordedResource>): analyzer.AnalyzerProviderResource | undefined {
  const provider = r.provider === undefined ? undefined : byRef.get(r.provider);
  if (!provider) return undefined;
  const p = new analyzer.AnalyzerProviderResource();
  p.setType(provider.type);
  p.setName(provider.name);
  p.setUrn(provider.urn);
  p.setProperties(Struct.fromJavaScript(provider.inputs as Parameters<typeof Struct.fromJavaScript>[0]));
  return p;
}


function call(fun: RpcFun, request: unknown): Promise<analyzer.AnalyzeResponse> {
  return new Promise((resolve, reject) => {
    void fun({ request }, (err, res) => {
      if (err !== null && err !== undefined) reject(err instanceof Error ? err : new Error(JSON.stringify(err)));
      else if (!res) reject(new Error("analyzer returned no response"));
      else resolve(res);
    });
  });
}

function violations(res: analyzer.AnalyzeResponse, descriptions: Map<string, string>, urn = ""): PolicyViolation[] {
  return res.getDiagnosticsList().map((d) => {
    const prefix = `${descriptions.get(d.getPolicyname()) ?? d.getDescription()}\n`;
    const message = d.getMessage().startsWith(prefix) ? d.getMessage().slice(prefix.length) : d.getMessage();
    const level = d.getEnforcementlevel() === analyzer.EnforcementLevel.MANDATORY ? "mandatory" : "advisory";
    return { policy: d.getPolicyname(), enforcement: level, urn: d.getUrn() || urn, message };
  });
}

/** How to run the pack. */
export type PolicyEngine = "direct" | "analyzer";

/** Runs every policy on every resource and on the stack; returns the violations. */
export async function evaluatePolicies(
  resources: readonly RecordedResource[],
  policies: Policies = packPolicies,
  engine: PolicyEngine = "direct",
): Promise<PolicyViolation[]> {
  return engine === "direct" ? judgeResources(resources, policies) : evaluateViaAnalyzer(resources, policies);
}

async function evaluateViaAnalyzer(resources: readonly RecordedResource[], policies: Policies): Promise<PolicyViolation[]> {
  const analyze = server.makeAnalyzeRpcFun(POLICY_PACK_NAME, POLICY_PACK_VERSION, "advisory", policies);
  const analyzeStack = server.makeAnalyzeStackRpcFun(POLICY_PACK_NAME, POLICY_PACK_VERSION, "advisory", policies);
  const descriptions = new Map(policies.map((p) => [p.name, p.description]));
  const byRef = providerRefs(resources);
  const found: PolicyViolation[] = [];
  const stack = new analyzer.AnalyzeStackRequest();
  for (const r of resources) {
    const props = Struct.fromJavaScript(r.inputs as Parameters<typeof Struct.fromJavaScript>[0]);
    const provider = providerOf(r, byRef);
    if (r.custom) {
      const req = new analyzer.AnalyzeRequest();
      req.setType(r.type).setName(r.name).setUrn(r.urn).setProperties(props).setOptions(options(r));
      if (provider) req.setProvider(provider);
      found.push(...violations(await call(analyze, req), descriptions, r.urn));
    }
    const item = new analyzer.AnalyzerResource();
    item.setType(r.type).setName(r.name).setUrn(r.urn).setProperties(props).setOptions(options(r));
    item.setParent(r.parent ?? "").setDependenciesList([...r.options.dependsOn]);
    if (provider) item.setProvider(provider);
    stack.addResources(item);
  }
  found.push(...violations(await call(analyzeStack, stack), descriptions));
  return found;
}


