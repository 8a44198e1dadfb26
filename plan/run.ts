/**
 * Runs a Pulumi program with no engine, no provider plugins and no cluster:
 * the SDK's mock runtime stands in for the engine, and every registration is
 * recorded for the plan, the policy pack and the tests.
 */
import * as pulumi from "@pulumi/pulumi";
import { withoutGuardRails } from "../guardRails";
import { planMocks } from "./mocks";
import { type RecordedResource, RecordingMonitor } from "./monitor";

/** What to run. */
export interface RunOptions {
  /** Pulumi project name. @default "sovereign-ai-factory" */
  readonly project?: string;
  /** Stack name, e.g. `oslo`. */
  readonly stack: string;
  /** Full config keys (`sovereign-ai-factory:site`) to string values, as the engine passes them. */
  readonly config: Readonly<Record<string, string>>;
  /** Full config keys the engine marks secret (`pulumi config set --secret`). @default none */
  readonly secretKeys?: readonly string[];
  /** The program: returns stack outputs, or throws before registering anything. */
  readonly program: () => unknown;
  /** Mock provider answers. @default planMocks */
  readonly mocks?: pulumi.runtime.Mocks;
  /**
   * Capture a stack trace for every resource and internal promise, as the SDK
   * does for `pulumi up` error messages. An offline plan does not need them,
   * and they are most of the SDK's per-resource cost, so they are off
   * unless asked for (the benchmark measures both).
   * @default false
   */
  readonly captureStacks?: boolean;
  /**
   * Keep the program's own guard rails on (they stop at the first resource
   * that breaks a mandatory policy). The plan turns them off: it runs the
   * whole pack itself and reports every violation.
   * @default false
   */
  readonly guardRails?: boolean;
}

/** What a program run produced. */
export interface RunResult {
  /** Every registered resource, the root stack first. */
  readonly resources: readonly RecordedResource[];
  /** Stack outputs as plain JSON, secrets replaced by `[secret]`. */
  readonly outputs: Record<string, unknown>;
}

/** The type of the root resource the runtime registers for every stack. */
export const ROOT_STACK_TYPE = "pulumi:pulumi:Stack";

/** Raised when the program fails; carries what was registered before it did. */
export class ProgramError extends Error {
  constructor(
    public override readonly cause: unknown,
    public readonly resources: readonly RecordedResource[],
  ) {
    super(cause instanceof Error ? cause.message : String(cause));
    this.name = "ProgramError";
  }
}

/**
 * Runs `program` under the mock runtime and waits for every registration.
 * A failing program rejects several runtime promises at once (the stack's
 * outputs and its registration); like the Pulumi CLI, we collect them all and
 * report the program's own error, rather than leave rejections unhandled.
 */
export async function runProgram(options: RunOptions): Promise<RunResult> {
  const restore = options.captureStacks === true ? () => undefined : skipStackCapture();
  try {
    return await (options.guardRails === true ? runUnderMocks(options) : withoutGuardRails(() => runUnderMocks(options)));
  } finally {
    restore();
  }
}

/** The SDK's per-resource source-position capture, as a replaceable static method. */
interface CallsiteCapture {
  callsites: () => unknown[];
}

/** Turns stack capture off until the returned function is called. */
function skipStackCapture(): () => void {
  const resource = pulumi.Resource as unknown as CallsiteCapture;
  const callsites = resource.callsites;
  const limit = Error.stackTraceLimit;
  resource.callsites = () => [];
  Error.stackTraceLimit = 0;
  return () => {
    resource.callsites = callsites;
    Error.stackTraceLimit = limit;
  };
}

async function runUnderMocks(options: RunOptions): Promise<RunResult> {
  const project = options.project ?? "sovereign-ai-factory";
  const monitor = new RecordingMonitor(options.mocks ?? planMocks);
  await pulumi.runtime.setMocks(options.mocks ?? planMocks, project, options.stack, true);
  pulumi.runtime.setMockOptions(monitor, project, options.stack, true);
  pulumi.runtime.setAllConfig({ ...options.config }, [...(options.secretKeys ?? [])]);
  const rejections: unknown[] = [];
  const onRejection = (reason: unknown) => rejections.push(reason);
  process.on("unhandledRejection", onRejection);
  let failure: unknown;
  try {
    await pulumi.runtime.runInPulumiStack(() => Promise.resolve(options.program()));
    await pulumi.runtime.disconnect();
  } catch (err) {
    failure = err;
  } finally {
    // Rejections are reported as unhandled only after the current macrotask.
    await new Promise((resolve) => setImmediate(resolve));
    process.off("unhandledRejection", onRejection);
  }
  failure ??= rejections[0];
  const recorded = monitor.recorded;
  const root = recorded.find((r) => r.type === ROOT_STACK_TYPE);
  const outputs = root === undefined ? undefined : monitor.outputs.get(root.urn);
  releaseRun(monitor);
  if (failure !== undefined) throw new ProgramError(failure, recorded);
  return { resources: recorded, outputs: (outputs ?? {}) as Record<string, unknown> };
}

/** The SDK's run state, internal to it (absent from its typings): the stack resource every resource of a run hangs from. */
const sdkState = require("@pulumi/pulumi/runtime/state") as { setStackResource(stack: pulumi.ComponentResource | undefined): void };

/** The SDK's mock monitor's own record of every registered resource's state (@pulumi/pulumi 3.248.0, runtime/mocks.ts). */
interface MockMonitorState {
  readonly resources: Map<string, unknown>;
}

/**
 * Lets go of what the finished run no longer needs, before the plan writes
 * its artefacts: the SDK's resource tree (every resource object with its
 * resolved outputs, reachable from the stack resource until the next run
 * replaces it) and the mock monitor's copy of every resource's state. What
 * the plan reads (the recorded registrations and outputs) is kept.
 */
function releaseRun(monitor: RecordingMonitor): void {
  // setStackResource clears the store's stack and the copy it keeps on globalThis (runtime/state.ts).
  sdkState.setStackResource(undefined);
  (monitor as unknown as MockMonitorState).resources.clear();
}

/** Resources the program declared, without the root stack the runtime adds. */
export function programResources(result: { readonly resources: readonly RecordedResource[] }): RecordedResource[] {
  return result.resources.filter((r) => r.type !== ROOT_STACK_TYPE);
}
