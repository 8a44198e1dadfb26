/**
 * How data-bearing resources (storage classes, volumes, bucket claims, the
 * backup location, and the namespaces that hold volumes) are protected.
 *
 * - `retainOnDelete`: `pulumi destroy`, or removing the resource from config,
 *   drops it from Pulumi's state but leaves it in the cluster, so no data is
 *   deleted by Pulumi, ever.
 * - `protect`: any change that would delete or replace it (a rename in config,
 *   a new storage class) stops `pulumi preview` and `pulumi up` with an error
 *   instead of silently putting an empty volume in its place. The README says
 *   how to migrate on purpose.
 */
import type * as pulumi from "@pulumi/pulumi";

/** Resource options every data-bearing resource is declared with. */
export const DATA_BEARING: Readonly<Pick<pulumi.CustomResourceOptions, "retainOnDelete" | "protect">> = {
  retainOnDelete: true,
  protect: true,
};

/** `opts` with the data-bearing options added. */
export function dataBearing<T extends pulumi.CustomResourceOptions>(opts: T): T {
  return { ...opts, ...DATA_BEARING };
}
