import type * as pulumi from "@pulumi/pulumi";

/**
 * A Kubernetes object spec as plain data: the provider's input type with every
 * `Input<T>` unwrapped. Spec builders return this, so tests read fields
 * directly and the result is still accepted as resource args.
 */
export type Spec<T> = pulumi.Unwrap<T>;
