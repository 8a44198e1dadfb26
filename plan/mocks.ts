/**
 * Mock provider answers for an offline plan: every resource's outputs are its
 * inputs plus plausible computed values (an id, a uid, a Service's cluster IP,
 * a claim's phase), so the program runs as under `pulumi preview`. Values are
 * derived from the resource's name, never from time or randomness, so plans
 * are reproducible. A generated password gets an obvious placeholder, never
 * something that looks like a real key.
 */
import { createHash } from "node:crypto";
import type * as pulumi from "@pulumi/pulumi";

/** The value every generated password or key takes in a plan. */
export const PLACEHOLDER_SECRET = "PLACEHOLDER-not-a-real-key";

/** Deterministic bytes from a resource's name. */
function digest(name: string): Buffer {
  return createHash("sha256").update(name).digest();
}

/** A UUID-shaped uid derived from the name. */
export function mockUid(name: string): string {
  const h = digest(name).toString("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-a${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

/** A cluster IP in the default service range 10.96.0.0/12, derived from the name. */
export function mockClusterIp(name: string): string {
  const [a = 0, b = 0, c = 1] = digest(name);
  return `10.${96 + (a % 16)}.${b}.${(c % 254) + 1}`;
}

type State = Record<string, unknown>;

function withMetadata(inputs: State, name: string): State {
  const metadata = (inputs["metadata"] ?? {}) as State;
  return { ...inputs, metadata: { ...metadata, uid: mockUid(name), resourceVersion: "1", generation: 1 } };
}

function kubernetesOutputs(kind: unknown, inputs: State, name: string): State {
  const state = withMetadata(inputs, name);
  const spec = (inputs["spec"] ?? {}) as State;
  switch (kind) {
    case "Service":
      return { ...state, spec: { ...spec, clusterIP: mockClusterIp(name), clusterIPs: [mockClusterIp(name)] }, status: { loadBalancer: {} } };
    case "Namespace":
      return { ...state, status: { phase: "Active" } };
    case "PersistentVolumeClaim":
      return { ...state, status: { phase: "Pending" } };
    default:
      return state;
  }
}

function computedOutputs(type: string, inputs: State, name: string): State {
  if (type === "random:index/randomPassword:RandomPassword") {
    return { ...inputs, result: PLACEHOLDER_SECRET, bcryptHash: PLACEHOLDER_SECRET };
  }
  if (type.startsWith("kubernetes:") && type !== "kubernetes:helm.sh/v3:Release") {
    return kubernetesOutputs(inputs["kind"], inputs, name);
  }
  if (type === "kubernetes:helm.sh/v3:Release") return { ...inputs, status: { status: "deployed", revision: 1 } };
  return inputs;
}

/** Mocks that echo inputs as outputs, with plausible computed values for known types. */
export const planMocks: pulumi.runtime.Mocks = {
  newResource(args) {
    const inputs = args.inputs as State;
    return { id: `${args.name}-id`, state: computedOutputs(args.type, inputs, args.name) };
  },
  call() {
    return {};
  },
};
