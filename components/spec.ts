import type * as pulumi from "@pulumi/pulumi";
import type { siteMetadata } from "./labels";

/**
 * A Kubernetes object spec as plain data: the provider's input type with every
 * `Input<T>` unwrapped. Spec builders return this, so tests read fields
 * directly and the result is still accepted as resource args.
 */
export type Spec<T> = pulumi.Unwrap<T>;

/** A custom resource (Cluster API, Velero, bucket claims) as plain data, for `k8s.apiextensions.CustomResource`. */
export interface CustomObjectSpec {
  apiVersion: string;
  kind: string;
  metadata: ReturnType<typeof siteMetadata>;
  spec: Record<string, unknown>;
}
