/**
 * A resource monitor for running the program with no engine: it answers like
 * the SDK's own mock monitor and records every registration with the options
 * the engine would see (retain on delete, protect, aliases), with secret
 * values already replaced, so nothing downstream can leak them.
 */
import * as pulumi from "@pulumi/pulumi";
import { MockMonitor } from "@pulumi/pulumi/runtime/mocks";
import type { JudgedResource } from "../guardRails/judge";

/** Text that stands in for a secret value in every plan artefact. */
export const REDACTED = "[secret]";

/** Text that stands in for a value not known until deployment. */
export const UNKNOWN = "[unknown]";

const SIG_KEY = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const RESOURCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e";
const OUTPUT_SIG = "d0e6a833031e9bbcd3f4e8bde6ca49a4";
const UNKNOWN_VALUE = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";

/** Resource options as the engine would receive them. */
export interface RecordedOptions {
  readonly retainOnDelete: boolean;
  readonly protect: boolean;
  readonly aliases: number;
  readonly dependsOn: readonly string[];
  readonly deleteBeforeReplace: boolean;
  /** How long the engine waits for create, update and delete; absent when the provider's defaults apply. */
  readonly customTimeouts?: { readonly create?: string; readonly update?: string; readonly delete?: string };
}

/** The custom timeouts of a request, keeping only those set. */
function timeoutsOf(req: RegisterRequest): RecordedOptions["customTimeouts"] {
  const t = req.getCustomtimeouts();
  if (t === undefined) return undefined;
  const set = Object.entries({ create: t.getCreate(), update: t.getUpdate(), delete: t.getDelete() }).filter(([, v]) => v !== "");
  return set.length === 0 ? undefined : Object.fromEntries(set);
}

/** One registered resource: what the policies judge, with every resource option the plan records. */
export interface RecordedResource extends JudgedResource {
  /** Inputs as plain JSON; secrets are `[secret]`, unknowns `[unknown]`. */
  readonly inputs: Record<string, unknown>;
  readonly options: RecordedOptions;
}

/** A secret's shape with every leaf hidden: keys of a secret map are not secret, its values are. */
function redactLeaves(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(redactLeaves);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.keys(value).map((k) => [k, redactLeaves((value as Record<string, unknown>)[k])]));
  }
  return REDACTED;
}

/** Turns the wire form of a property value into plain JSON, hiding secrets. */
export function plainValue(value: unknown): unknown {
  if (value === UNKNOWN_VALUE) return UNKNOWN;
  if (Array.isArray(value)) return value.map(plainValue);
  if (value === null || typeof value !== "object") return value;
  const obj = value as Record<string, unknown>;
  switch (obj[SIG_KEY]) {
    case SECRET_SIG:
      return redactLeaves(obj["value"]);
    case RESOURCE_SIG:
      return obj["urn"];
    case OUTPUT_SIG:
      if (obj["secret"] === true) return REDACTED;
      return "value" in obj ? plainValue(obj["value"]) : UNKNOWN;
    default: {
      const out: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(obj)) out[k] = plainValue(v);
      return out;
    }
  }
}

/** Minimal view of the gRPC request the SDK sends to register a resource. */
interface RegisterRequest {
  getType(): string;
  getName(): string;
  getParent(): string;
  getCustom(): boolean;
  getProvider(): string;
  getObject(): { toJavaScript(): Record<string, unknown> } | undefined;
  getRetainondelete(): boolean | undefined;
  getProtect(): boolean | undefined;
  getAliasesList(): unknown[];
  getDependenciesList(): string[];
  getDeletebeforereplace(): boolean;
  getCustomtimeouts(): { getCreate(): string; getUpdate(): string; getDelete(): string } | undefined;
}

/** The SDK's mock monitor, recording every registration. */
export class RecordingMonitor extends MockMonitor {
  /** Registered resources in registration order. */
  public readonly recorded: RecordedResource[] = [];
  /** Outputs registered for each resource by URN, secrets replaced. */
  public readonly outputs = new Map<string, unknown>();

  override async registerResource(req: RegisterRequest, callback: (err: unknown, res: unknown) => void) {
    const type = req.getType();
    const name = req.getName();
    const parent = req.getParent() || undefined;
    const customTimeouts = timeoutsOf(req);
    this.recorded.push({
      urn: urnOf(parent, type, name),
      type,
      name,
      custom: req.getCustom(),
      parent,
      provider: req.getProvider() || undefined,
      inputs: plainValue(req.getObject()?.toJavaScript() ?? {}) as Record<string, unknown>,
      options: {
        retainOnDelete: req.getRetainondelete() === true,
        protect: req.getProtect() === true,
        aliases: req.getAliasesList().length,
        dependsOn: req.getDependenciesList(),
        deleteBeforeReplace: req.getDeletebeforereplace(),
        ...(customTimeouts === undefined ? {} : { customTimeouts }),
      },
    });
    return super.registerResource(req, callback);
  }

  override registerResourceOutputs(req: OutputsRequest, callback: (err: unknown, res: unknown) => void) {
    this.outputs.set(req.getUrn(), plainValue(req.getOutputs()?.toJavaScript() ?? {}));
    super.registerResourceOutputs(req, callback);
  }
}

/** Minimal view of the gRPC request that registers a resource's outputs. */
interface OutputsRequest {
  getUrn(): string;
  getOutputs(): { toJavaScript(): Record<string, unknown> } | undefined;
}

/** The URN the mock monitor gives a resource (same scheme as the engine). */
function urnOf(parent: string | undefined, type: string, name: string): string {
  let qualified = type;
  if (parent) {
    const parentType = (parent.split("::")[2] ?? "").split("$").pop();
    qualified = `${parentType}$${type}`;
  }
  return `urn:pulumi:${pulumi.getStack()}::${pulumi.getProject()}::${qualified}::${name}`;
}
