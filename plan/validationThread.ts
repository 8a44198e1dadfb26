/**
 * Validating Kubernetes objects on the machine's other core. Loading the
 * upstream schemas and compiling their validators costs the Oslo plan about
 * 0.4 s (the Gateway API's schemas are compiled when first used), and none of
 * it depends on the program: a worker thread compiles the kinds a site
 * writes while the main thread loads the SDK and runs the program, then
 * checks the program's objects (the sites' and the fleet's) with
 * `validateObject`, exactly as the main thread would. `inThread` is the same
 * check without a worker: `planStack`'s default, used by the tests and by
 * the plan run from its TypeScript sources.
 */
import { Worker } from "node:worker_threads";
import type { KubernetesObject } from "./manifests";

/**
 * The validator, loaded when first needed: with the worker, the main thread
 * never loads it (nor the Kueue and operator schemas it builds).
 */
const validator = () => import("./validate");

/** Checks objects; the problems of each, in order (empty when valid). */
export interface Validator {
  validate(objects: readonly KubernetesObject[]): Promise<string[][]>;
  close(): Promise<void>;
}

/** Validation in this thread. */
export const inThread: Validator = {
  validate: async (objects) => {
    const { validateObject } = await validator();
    return objects.map(validateObject);
  },
  close: () => Promise.resolve(),
};

/**
 * The kinds whose schemas are loaded and compiled before the first object
 * arrives: every kind a site writes that has an upstream schema (a test
 * holds this list to the sites and examples). A kind left out is still
 * checked, only compiled when it arrives.
 */
export const WARM_KINDS: readonly (readonly [apiVersion: string, kind: string])[] = [
  ["v1", "ConfigMap"],
  ["v1", "LimitRange"],
  ["v1", "Namespace"],
  ["v1", "Node"],
  ["v1", "PersistentVolumeClaim"],
  ["v1", "ResourceQuota"],
  ["v1", "Secret"],
  ["v1", "Service"],
  ["v1", "ServiceAccount"],
  ["apps/v1", "Deployment"],
  ["batch/v1", "Job"],
  ["batch/v1", "CronJob"],
  ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicy"],
  ["admissionregistration.k8s.io/v1", "ValidatingAdmissionPolicyBinding"],
  ["policy/v1", "PodDisruptionBudget"],
  ["networking.k8s.io/v1", "NetworkPolicy"],
  ["networking.k8s.io/v1", "Ingress"],
  ["rbac.authorization.k8s.io/v1", "ClusterRole"],
  ["rbac.authorization.k8s.io/v1", "ClusterRoleBinding"],
  ["scheduling.k8s.io/v1", "PriorityClass"],
  ["storage.k8s.io/v1", "StorageClass"],
  ["monitoring.coreos.com/v1", "PodMonitor"],
  ["monitoring.coreos.com/v1", "PrometheusRule"],
  ["monitoring.coreos.com/v1", "ServiceMonitor"],
  ["keda.sh/v1alpha1", "ScaledObject"],
  ["gateway.networking.k8s.io/v1", "Gateway"],
  ["gateway.networking.k8s.io/v1", "HTTPRoute"],
];

/** Objects per message to the validation worker. */
const VALIDATION_BATCH = 500;

/** What the main thread sends the worker at start. */
export interface ValidationWorkerData {
  readonly role: "validate";
  readonly warm: readonly (readonly [string, string])[];
}

interface Request {
  readonly id: number;
  readonly objects: readonly KubernetesObject[];
}
type Reply = { readonly id: number; readonly problems: string[][] } | { readonly id: number; readonly error: string };

/** Whether this thread was started as a validation worker by `validationThread`. */
export function isValidationWorker(data: unknown): data is ValidationWorkerData {
  return typeof data === "object" && data !== null && (data as { role?: unknown }).role === "validate";
}

/**
 * Starts a worker thread running `entry` (a script that calls
 * `serveValidation` when `isValidationWorker(workerData)`), warming the
 * given kinds at once.
 */
export function validationThread(entry: string, warm: readonly (readonly [string, string])[] = WARM_KINDS): Validator {
  const data: ValidationWorkerData = { role: "validate", warm };
  const worker = new Worker(entry, { workerData: data });
  worker.unref();
  const pending = new Map<number, { count: number; resolve: (p: string[][]) => void; reject: (e: Error) => void }>();
  let failure: Error | undefined;
  const fail = (err: Error) => {
    failure ??= err;
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };
  worker.on("message", (reply: Reply) => {
    const waiting = pending.get(reply.id);
    pending.delete(reply.id);
    if (waiting === undefined) return;
    if ("error" in reply) waiting.reject(new Error(`validation thread: ${reply.error}`));
    else if (reply.problems.length !== waiting.count) waiting.reject(new Error(`validation thread: ${reply.problems.length} answers for ${waiting.count} objects`));
    else waiting.resolve(reply.problems);
  });
  worker.on("error", (err) => {
    fail(new Error(`validation thread: ${err.message}`));
  });
  worker.on("exit", (code) => {
    fail(new Error(`validation thread exited (${code})`));
  });
  let next = 0;
  const request = (objects: readonly KubernetesObject[]): Promise<string[][]> => {
    if (failure !== undefined) return Promise.reject(failure);
    const id = next++;
    return new Promise((resolve, reject) => {
      pending.set(id, { count: objects.length, resolve, reject });
      worker.ref();
      worker.postMessage({ id, objects } satisfies Request);
    }).finally(() => {
      if (pending.size === 0) worker.unref();
    }) as Promise<string[][]>;
  };
  return {
    // In batches, all sent at once: the worker holds one batch's objects at a
    // time, not a large site's every object (and answers each as it goes).
    async validate(objects) {
      const batches: Promise<string[][]>[] = [];
      for (let i = 0; i < objects.length; i += VALIDATION_BATCH) batches.push(request(objects.slice(i, i + VALIDATION_BATCH)));
      return (await Promise.all(batches)).flat();
    },
    async close() {
      await worker.terminate();
    },
  };
}

/**
 * The worker's side: compile the warm kinds' validators, then answer
 * requests (which wait in the port's queue until then).
 */
export async function serveValidation(
  port: { on(event: "message", listener: (r: Request) => void): void; postMessage(reply: Reply): void },
  data: ValidationWorkerData,
): Promise<void> {
  const { validateObject } = await validator();
  port.on("message", (request) => {
    try {
      port.postMessage({ id: request.id, problems: request.objects.map(validateObject) });
    } catch (err) {
      port.postMessage({ id: request.id, error: err instanceof Error ? err.message : String(err) });
    }
  });
  // Requests queue behind this: validating a bare object of each kind loads
  // its model and compiles its schema (the object itself is invalid; its
  // problems are dropped).
  for (const [apiVersion, kind] of data.warm) validateObject({ apiVersion, kind, metadata: { name: "warm-up" } });
}
