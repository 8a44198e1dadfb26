/**
 * The admission policies as resources: the pack's resource rules judged by
 * the API server itself, for objects Pulumi never declares (rendered by Helm
 * in the cluster, created by operators, `kubectl` or a tenant's pipeline).
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import type { SiteConfig, StorageConfig } from "../../config";
import { childName } from "../naming";
import { admissionBindingSpec, admissionPolicyDefinitions, admissionPolicySpec } from "./policies";
import { siteStorageBackends } from "./storage";

/** Inputs of the admission policies. */
export interface AdmissionPoliciesArgs {
  /** The site the policies guard. */
  readonly site: SiteConfig;
  /** The site's storage: the object store bucket classes may name. */
  readonly storage: Pick<StorageConfig, "objectStore" | "cephClusterId">;
}

/** Declares every admission policy and its binding. */
export class AdmissionPolicies extends pulumi.ComponentResource {
  /** The policies' names. */
  public readonly policyNames: readonly string[];

  constructor(name: string, args: AdmissionPoliciesArgs, opts?: pulumi.ComponentResourceOptions) {
    super("sovereign-ai-factory:admission:AdmissionPolicies", name, {}, opts);
    const defs = admissionPolicyDefinitions(siteStorageBackends(args.storage));
    for (const def of defs) {
      const role = def.name.slice(0, def.name.indexOf("."));
      const policy = new k8s.admissionregistration.v1.ValidatingAdmissionPolicy(childName(name, role), admissionPolicySpec(args.site, def), { parent: this });
      new k8s.admissionregistration.v1.ValidatingAdmissionPolicyBinding(childName(name, `${role}-binding`), admissionBindingSpec(args.site, def), {
        parent: this,
        dependsOn: [policy],
      });
    }
    this.policyNames = defs.map((d) => d.name);
    this.registerOutputs({ policyNames: this.policyNames });
  }
}
