/**
 * The schema of the Pulumi Kubernetes Operator's `Stack` (pulumi.com/v1) as
 * operator v2.9.0 defines it (`operator/api/pulumi/shared/stack_types.go`):
 * the spec's known fields, with types, and the references the factory uses.
 * No package ships the operator's models, so this is written here; an
 * unknown spec field is an error (the API server would prune it silently).
 */
import { z } from "zod";

const secretRef = z.strictObject({
  type: z.literal("Secret"),
  secret: z.strictObject({ namespace: z.string().optional(), name: z.string().min(1), key: z.string().min(1) }),
});
const resourceRef = z.union([
  secretRef,
  z.strictObject({ type: z.literal("Env"), env: z.strictObject({ name: z.string().min(1) }) }),
  z.strictObject({ type: z.literal("FS"), filesystem: z.strictObject({ path: z.string().min(1) }) }),
  z.strictObject({ type: z.literal("Literal"), literal: z.strictObject({ value: z.string() }) }),
]);

const stackSpec = z
  .strictObject({
    stack: z.string().min(1),
    projectRepo: z.string().optional(),
    commit: z.string().optional(),
    branch: z.string().optional(),
    repoDir: z.string().optional(),
    shallow: z.boolean().optional(),
    gitAuth: z.strictObject({ accessToken: resourceRef.optional(), sshAuth: z.looseObject({}).optional(), basicAuth: z.looseObject({}).optional(), githubApp: z.looseObject({}).optional() }).optional(),
    gitAuthSecret: z.string().optional(),
    fluxSource: z.looseObject({}).optional(),
    programRef: z.looseObject({ name: z.string() }).optional(),
    accessTokenSecret: z.string().optional(),
    envs: z.array(z.string()).optional(),
    envRefs: z.record(z.string(), resourceRef).optional(),
    envSecrets: z.array(z.string()).optional(),
    backend: z.string().optional(),
    config: z.record(z.string(), z.unknown()).optional(),
    secrets: z.record(z.string(), z.string()).optional(),
    configRef: z.record(z.string(), z.looseObject({})).optional(),
    secretsRef: z.record(z.string(), resourceRef).optional(),
    secretsProvider: z.string().optional(),
    targets: z.array(z.string()).optional(),
    targetDependents: z.boolean().optional(),
    prerequisites: z.array(z.strictObject({ name: z.string().min(1), requirement: z.strictObject({ succeededWithinDuration: z.string().regex(/^(\d+(\.\d+)?(ns|us|µs|ms|s|m|h))+$/) }).optional() })).optional(),
    continueResyncOnCommitMatch: z.boolean().optional(),
    refresh: z.boolean().optional(),
    expectNoRefreshChanges: z.boolean().optional(),
    destroyOnFinalize: z.boolean().optional(),
    runProgram: z.boolean().optional(),
    retryOnUpdateConflict: z.boolean().optional(),
    useLocalStackOnly: z.boolean().optional(),
    resyncFrequencySeconds: z.number().int().optional(),
    serviceAccountName: z.string().optional(),
    // Merged over the Workspace the operator generates (v2.9.0 stack_controller.go); its ServiceAccount is the pod's identity.
    workspaceTemplate: z
      .looseObject({
        spec: z
          .looseObject({
            image: z.string().optional(),
            serviceAccountName: z.string().regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/).max(253).optional(),
            env: z.array(z.looseObject({ name: z.string().min(1), value: z.string().optional() })).optional(),
          })
          .optional(),
      })
      .optional(),
    workspaceReclaimPolicy: z.enum(["Retain", "Delete"]).optional(),
    environment: z.array(z.string()).optional(),
    updateTemplate: z.looseObject({}).optional(),
    retryMaxBackoffDurationSeconds: z.number().int().optional(),
    preview: z.boolean().optional(),
  })
  .refine((s) => !(s.commit !== undefined && s.branch !== undefined), { error: "only one of commit and branch" });

/** Problems with an operator object, or undefined for a kind this does not know. */
export function operatorProblems(obj: unknown, kind: string): string[] | undefined {
  if (kind !== "Stack") return undefined;
  // The operator names its workspace objects after the Stack, so a Stack's name has at most 42 characters.
  const result = z.looseObject({ metadata: z.looseObject({ name: z.string().max(42) }), spec: stackSpec }).safeParse(obj);
  return result.success ? [] : result.error.issues.map((i) => `schema: ${i.path.join(".") || "(object)"}: ${i.message}`);
}
