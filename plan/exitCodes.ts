/**
 * The plan's exit codes and its usage error, in a module that imports
 * nothing: the command line answers a usage error, and the validation
 * worker starts, without loading YAML, zod or the Pulumi SDK.
 */
/** Exit codes of `npm run plan`; other tools depend on them. */
export const ExitCode = {
  /** Planned; no mandatory policy violated. */
  ok: 0,
  /** Planned; a mandatory policy is violated. */
  violations: 1,
  /** Invalid config, command line, or a config that yields an invalid Kubernetes object. */
  usage: 2,
  /** The program itself failed (a bug, not a config problem). */
  internal: 3,
} as const;

/** Raised for a stack file that cannot be used; the plan exits 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UsageError";
  }
}
