/**
 * A small model of what Kueue v0.19.2 and the Kubernetes ResourceQuota
 * controller do together with the objects the factory writes, written from
 * Kueue's sources at that tag (our own code, not theirs):
 *
 * - `pkg/cache/scheduler/resource_node.go`: a ClusterQueue's local quota is
 *   nominal minus lendingLimit (0 without one); the cohort's subtree quota is
 *   every member's nominal minus its local quota; what a queue has available
 *   is its unused local quota plus what the cohort has left, capped (when it
 *   has a borrowingLimit) at what it stores in the cohort minus what it uses
 *   there plus the borrowingLimit.
 * - preemption (`reclaimWithinCohort: Any`, `withinClusterQueue:
 *   LowerPriority`): a workload that fits within its queue's nominal quota
 *   evicts workloads of queues that borrow on that flavor; within its queue,
 *   lower-priority ones.
 * - `pkg/controller/jobs/pod/pod_webhook.go`, `pkg/controller/jobframework`:
 *   in namespaces `managedJobsNamespaceSelector` selects, a workload that names
 *   no queue gets the LocalQueue `default` when the namespace has one, and is
 *   managed (suspended or gated) when `manageJobsWithoutQueueName` is on; a
 *   pod-based workload outside the selector is never managed.
 * - the quota controller counts a pod's requests when the pod is created,
 *   gated or not: a Job's pods are created when Kueue admits the Job; a
 *   Deployment's pods are created first, gated, and wait for admission.
 */

/** One flavor's quota in a ClusterQueue, as its spec states it. */
export interface FlavorQuota {
  readonly flavor: string;
  readonly resource: string;
  readonly nominal: number;
  readonly borrowingLimit: number | undefined;
  readonly lendingLimit: number | undefined;
}

/** A ClusterQueue as Kueue reads it. */
export interface QueueView {
  readonly name: string;
  readonly cohort: string | undefined;
  /** The one namespace its namespaceSelector selects (by `kubernetes.io/metadata.name`), or undefined for any. */
  readonly namespace: string | undefined;
  /** In resource-group order, flavors in the order Kueue tries them. */
  readonly flavors: readonly FlavorQuota[];
}

/** Everything the simulation reads from a site's plan. */
export interface SiteView {
  readonly queues: readonly QueueView[];
  readonly localQueues: readonly { readonly namespace: string; readonly name: string; readonly clusterQueue: string }[];
  /** ResourceQuota `hard` per namespace. */
  readonly quotas: ReadonlyMap<string, Readonly<Record<string, string>>>;
  readonly manageJobsWithoutQueueName: boolean;
  readonly managesNamespace: (namespace: string) => boolean;
  /** Physical size of each flavor. */
  readonly physical: ReadonlyMap<string, number>;
}

/** A workload: one pod set of `count` of one resource. */
export interface Workload {
  readonly id: number;
  readonly namespace: string;
  readonly queueName: string | undefined;
  readonly resource: string;
  readonly count: number;
  readonly priority: number;
  /** `job`: pods created on admission (Job, JobSet, PyTorchJob, TrainJob); `pods`: created first, gated (Pod, Deployment). */
  readonly kind: "job" | "pods";
  /** Flavors its pods' node selector matches (Kueue assigns only those); undefined for any. */
  readonly flavors?: readonly string[];
  /** Who made it: the factory (a declared inference service) or the tenant itself. @default "tenant" */
  readonly origin?: "factory" | "tenant";
}

/** A broken promise. */
export interface Violation {
  /** `refused`: an admitted workload's pods refused by quota; `unowned`: GPUs in use past every queue; `overadmitted`: more admitted than queues own or a flavor has. */
  readonly kind: "refused" | "unowned" | "overadmitted";
  readonly namespace: string;
  readonly detail: string;
  /** What the tenant's own pod-based workloads held in that namespace's quota, gated, at that moment. */
  readonly tenantGated: number;
}

interface Admission {
  readonly workload: Workload;
  readonly queue: QueueView;
  readonly flavor: FlavorQuota;
}

const localQuota = (f: FlavorQuota) => (f.lendingLimit === undefined ? 0 : Math.max(0, f.nominal - f.lendingLimit));

/** The cluster: Kueue's scheduler and cache, the quota controller, and what runs. */
export class KueueCluster {
  /** Every broken promise seen: an admitted workload's pods refused by quota, or a GPU in use that no queue owns. */
  readonly violations: Violation[] = [];
  private readonly pending: Workload[] = [];
  private readonly admitted = new Map<number, Admission>();
  private readonly quotaUsed = new Map<string, Map<string, number>>();
  /** Pods counted by quota while they wait, gated (pod-based workloads not admitted). */
  private readonly gated = new Map<number, Workload>();
  private readonly unowned = new Map<number, Workload>();

  constructor(private readonly site: SiteView) {}

  private usage(queue: QueueView, flavor: string): number {
    let n = 0;
    for (const a of this.admitted.values()) if (a.queue.name === queue.name && a.flavor.flavor === flavor) n += a.workload.count;
    return n;
  }

  private members(queue: QueueView): QueueView[] {
    return queue.cohort === undefined ? [queue] : this.site.queues.filter((q) => q.cohort === queue.cohort);
  }

  private quotaOf(queue: QueueView, flavor: string): FlavorQuota | undefined {
    return queue.flavors.find((f) => f.flavor === flavor);
  }

  /** resource_node.go `available`, for a queue in a flat cohort. */
  available(queue: QueueView, f: FlavorQuota): number {
    const used = this.usage(queue, f.flavor);
    const local = localQuota(f);
    if (queue.cohort === undefined) return f.nominal - used;
    let subtree = 0;
    let cohortUsage = 0;
    for (const m of this.members(queue)) {
      const q = this.quotaOf(m, f.flavor);
      if (q === undefined) continue;
      subtree += q.nominal - localQuota(q);
      cohortUsage += Math.max(0, this.usage(m, f.flavor) - localQuota(q));
    }
    let parent = subtree - cohortUsage;
    if (f.borrowingLimit !== undefined) parent = Math.min(f.nominal - local - Math.max(0, used - local) + f.borrowingLimit, parent);
    return Math.max(0, local - used) + parent;
  }

  private used(namespace: string, resource: string): number {
    return this.quotaUsed.get(namespace)?.get(resource) ?? 0;
  }

  /** The quota controller: count `n` of `resource` in `namespace`, or refuse the pods. */
  private createPods(namespace: string, resource: string, n: number): boolean {
    const hard = this.site.quotas.get(namespace)?.[`requests.${resource}`];
    if (hard !== undefined && this.used(namespace, resource) + n > Number(hard)) return false;
    const m = this.quotaUsed.get(namespace) ?? new Map<string, number>();
    m.set(resource, (m.get(resource) ?? 0) + n);
    this.quotaUsed.set(namespace, m);
    return true;
  }

  private deletePods(namespace: string, resource: string, n: number): void {
    const m = this.quotaUsed.get(namespace);
    if (m) m.set(resource, (m.get(resource) ?? 0) - n);
  }

  /** The ClusterQueue a workload waits in; `bypass` when Kueue does not manage it; `held` when it never runs. */
  private route(w: Workload): QueueView | "bypass" | "held" {
    const managedNs = this.site.managesNamespace(w.namespace);
    if (w.kind === "pods" && !managedNs) return "bypass";
    let queueName = w.queueName;
    if (queueName === undefined) {
      if (managedNs && this.site.localQueues.some((l) => l.namespace === w.namespace && l.name === "default")) queueName = "default";
      else return managedNs && this.site.manageJobsWithoutQueueName ? "held" : "bypass";
    }
    const lq = this.site.localQueues.find((l) => l.namespace === w.namespace && l.name === queueName);
    const cq = this.site.queues.find((q) => q.name === lq?.clusterQueue);
    if (cq === undefined || (cq.namespace !== undefined && cq.namespace !== w.namespace)) return "held";
    return cq;
  }

  /** A workload is created: pod-based ones create their pods now, gated. */
  submit(w: Workload): void {
    const route = this.route(w);
    if (route === "held") {
      if (w.kind === "pods" && this.createPods(w.namespace, w.resource, w.count)) this.gated.set(w.id, w);
      return;
    }
    if (route === "bypass") {
      if (this.createPods(w.namespace, w.resource, w.count)) {
        this.unowned.set(w.id, w);
        this.violate("unowned", w.namespace, `${w.count} ${w.resource} in use past every queue (workload ${w.id})`);
      }
      return;
    }
    if (w.kind === "pods") {
      if (!this.createPods(w.namespace, w.resource, w.count)) return; // never created: nothing waits, nothing is admitted
      this.gated.set(w.id, w);
    }
    this.pending.push(w);
    this.schedule();
  }

  /** A workload ends (a Job completes, a Deployment scales down): its pods go, its quota is released. */
  finish(id: number): void {
    const a = this.admitted.get(id);
    const w = a?.workload ?? this.pending.find((p) => p.id === id) ?? this.unowned.get(id);
    if (w === undefined) return;
    if (a !== undefined || w.kind === "pods" || this.unowned.has(id)) this.deletePods(w.namespace, w.resource, w.count);
    this.admitted.delete(id);
    this.gated.delete(id);
    this.unowned.delete(id);
    const i = this.pending.findIndex((p) => p.id === id);
    if (i >= 0) this.pending.splice(i, 1);
    this.schedule();
  }

  private violate(kind: Violation["kind"], namespace: string, detail: string): void {
    let tenantGated = 0;
    for (const g of this.gated.values()) if (g.namespace === namespace && (g.origin ?? "tenant") === "tenant") tenantGated += g.count;
    this.violations.push({ kind, namespace, detail, tenantGated });
  }

  /** The flavor a workload is admitted on, or undefined while it waits (or is gone). */
  placement(id: number): string | undefined {
    return this.admitted.get(id)?.flavor.flavor;
  }

  /** Ids of workloads that exist. */
  ids(): number[] {
    return [...this.admitted.keys(), ...this.pending.map((p) => p.id), ...this.unowned.keys()];
  }

  private evict(a: Admission): void {
    this.admitted.delete(a.workload.id);
    // A Job is suspended and its pods deleted; a pod-based workload's pods come back gated (their ReplicaSet recreates them).
    if (a.workload.kind === "job") this.deletePods(a.workload.namespace, a.workload.resource, a.workload.count);
    else this.gated.set(a.workload.id, a.workload);
    this.pending.push(a.workload);
  }

  private admit(w: Workload, queue: QueueView, flavor: FlavorQuota): void {
    if (w.kind === "job" && !this.createPods(w.namespace, w.resource, w.count)) {
      this.violate("refused", w.namespace, `admitted workload ${w.id} (${w.count} ${w.resource} on ${flavor.flavor}) but the quota refuses its pods`);
    }
    this.gated.delete(w.id);
    this.admitted.set(w.id, { workload: w, queue, flavor });
  }

  /** Victims that free room for `w` on `f`: borrowers of the cohort (reclaim), then lower priority in its own queue. */
  private victims(w: Workload, queue: QueueView, f: FlavorQuota): Admission[] | undefined {
    const out: Admission[] = [];
    const mayReclaim = this.usage(queue, f.flavor) + w.count <= f.nominal;
    const candidates = [...this.admitted.values()]
      .filter((a) => a.flavor.flavor === f.flavor)
      .filter((a) => (a.queue.name === queue.name ? a.workload.priority < w.priority : mayReclaim && a.queue.cohort === queue.cohort && a.queue.cohort !== undefined))
      .sort((x, y) => x.workload.priority - y.workload.priority || y.workload.id - x.workload.id);
    const snapshot = new Map(this.admitted);
    for (const c of candidates) {
      if (this.available(queue, f) >= w.count) break;
      // Reclaim only from a queue still above its nominal quota there.
      if (c.queue.name !== queue.name && this.usage(c.queue, f.flavor) <= c.flavor.nominal) continue;
      this.admitted.delete(c.workload.id);
      out.push(c);
    }
    const fits = this.available(queue, f) >= w.count;
    this.admitted.clear();
    for (const [k, v] of snapshot) this.admitted.set(k, v);
    return fits ? out : undefined;
  }

  private tryAdmit(w: Workload): boolean {
    const queue = this.route(w);
    if (typeof queue === "string") return false;
    const flavors = queue.flavors.filter((f) => f.resource === w.resource && (w.flavors === undefined || w.flavors.includes(f.flavor)));
    const free = flavors.find((f) => this.available(queue, f) >= w.count);
    if (free !== undefined) {
      this.admit(w, queue, free);
      return true;
    }
    for (const f of flavors) {
      const victims = this.victims(w, queue, f);
      if (victims === undefined) continue;
      for (const v of victims) this.evict(v);
      this.admit(w, queue, f);
      return true;
    }
    return false;
  }

  /** Kueue's scheduler: pending workloads by priority, then age, until nothing more fits. */
  schedule(): void {
    for (let round = 0; round < 64; round++) {
      this.pending.sort((a, b) => b.priority - a.priority || a.id - b.id);
      const next = this.pending.find((w) => this.tryAdmit(w));
      if (next === undefined) break;
      this.pending.splice(this.pending.indexOf(next), 1);
    }
    this.checkOwnership();
  }

  /** No GPU admitted that no queue owns: per flavor within the cohort's nominal quotas and the flavor's size, per queue within nominal plus borrowingLimit. */
  private checkOwnership(): void {
    const flavors = new Set(this.site.queues.flatMap((q) => q.flavors.map((f) => f.flavor)));
    for (const flavor of flavors) {
      let used = 0;
      let owned = 0;
      for (const q of this.site.queues) {
        const f = this.quotaOf(q, flavor);
        if (f === undefined) continue;
        const u = this.usage(q, flavor);
        used += u;
        owned += f.nominal;
        if (f.borrowingLimit !== undefined && u > f.nominal + f.borrowingLimit) this.violate("overadmitted", q.namespace ?? q.name, `${q.name} holds ${u} on ${flavor}, past nominal plus borrowingLimit`);
      }
      if (used > owned) this.violate("overadmitted", "", `${used} admitted on ${flavor}, more than the ${owned} the queues own`);
      const physical = this.site.physical.get(flavor);
      if (physical !== undefined && used > physical) this.violate("overadmitted", "", `${used} admitted on ${flavor}, which has ${physical}`);
    }
  }
}
