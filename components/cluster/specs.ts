/**
 * The site's Cluster API cluster: the Cluster, its Metal3Cluster, the
 * KubeadmControlPlane and the Metal3MachineTemplate of the control-plane
 * hosts. Every pool's MachineDeployment names this Cluster; without it CAPM3
 * waits for the Metal3Cluster the Cluster's `infrastructureRef` names and
 * kubeadm bootstrap waits for the control plane (CAPM3 v1.13.2,
 * `controllers/metal3machine_controller.go`; Cluster API v1.14.0).
 */
import {
  CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION,
  CAPM3_METADATA,
  CAPM3_NODE_UUID_LABEL,
  ClusterApiKinds,
  ExternalKeys,
  Labels,
  NODE_INVENTORY_PREFIX,
} from "../../catalog";
import type { ClusterConfig, MirrorsConfig, SiteConfig } from "../../config";
import { siteMetadata } from "../labels";
import type { CustomObjectSpec } from "../spec";

/** Cluster API settings of the site. */
type ClusterApiSettings = NonNullable<ClusterConfig["clusterApi"]>;

/** What the cluster's objects are built from. */
export interface SiteClusterContext {
  /** The site's validated config. */
  readonly site: SiteConfig;
  /** The site's Cluster API settings. */
  readonly clusterApi: ClusterApiSettings;
  /** Where the control plane's Kubernetes images come from. */
  readonly mirrors: MirrorsConfig;
}

/** The name of the control plane and of its machine template: `<cluster>-control-plane`. */
export function controlPlaneName(clusterName: string): string {
  return `${clusterName}-control-plane`;
}

function metadata(ctx: SiteClusterContext, name: string, annotations?: Record<string, string>) {
  return siteMetadata(ctx.site, name, {
    namespace: ctx.clusterApi.namespace,
    component: "cluster",
    labels: { [ExternalKeys.capiClusterName]: ctx.clusterApi.clusterName },
    ...(annotations === undefined ? {} : { annotations }),
  });
}

/** The Cluster: its network, and references to its control plane and its Metal3Cluster. */
export function clusterSpec(ctx: SiteClusterContext): CustomObjectSpec {
  const { clusterName, network } = ctx.clusterApi;
  return {
    apiVersion: `${ClusterApiKinds.cluster.apiGroup}/v1beta2`,
    kind: ClusterApiKinds.cluster.kind,
    metadata: metadata(ctx, clusterName),
    spec: {
      clusterNetwork: { pods: { cidrBlocks: [...network.pods] }, services: { cidrBlocks: [...network.services] } },
      controlPlaneRef: { ...ClusterApiKinds.controlPlane, name: controlPlaneName(clusterName) },
      infrastructureRef: { ...ClusterApiKinds.metal3Cluster, name: clusterName },
    },
  };
}

/**
 * The Metal3Cluster. `cloudProviderEnabled: false` makes CAPM3 set each Node's
 * providerID itself by matching the Node's `metal3.io/uuid` label to its host
 * (v1.13.2, `baremetal/metal3machine_manager.go`, `CloudProviderEnabled`);
 * the site runs no cloud provider that would. The label-sync annotation names
 * only the host-inventory prefix, which no Machine label uses, so CAPM3 and
 * Cluster API never write the same Node labels. The site's zones are its
 * failure domains, so the control plane spreads across them.
 */
export function metal3ClusterSpec(ctx: SiteClusterContext): CustomObjectSpec {
  const { endpoint } = ctx.clusterApi.controlPlane;
  return {
    apiVersion: `${ClusterApiKinds.metal3Cluster.apiGroup}/v1beta2`,
    kind: ClusterApiKinds.metal3Cluster.kind,
    metadata: metadata(ctx, ctx.clusterApi.clusterName, { [CAPM3_LABEL_SYNC_PREFIXES_ANNOTATION]: NODE_INVENTORY_PREFIX }),
    spec: {
      controlPlaneEndpoint: { host: endpoint.host, port: endpoint.port },
      cloudProviderEnabled: false,
      failureDomains: ctx.site.zones.map((zone) => ({ name: zone, controlPlane: true })),
    },
  };
}

/** Host labels the control-plane hosts carry: the site's, plus the configured selector (default: the control-plane role). */
export function controlPlaneHostSelector(ctx: SiteClusterContext): Record<string, string> {
  return { [Labels.site]: ctx.site.name, ...(ctx.clusterApi.controlPlane.hostSelector ?? { [Labels.hostRole]: "control-plane" }) };
}

/** The Metal3MachineTemplate of the control-plane hosts: which hosts, and which OS image. */
export function controlPlaneMachineTemplateSpec(ctx: SiteClusterContext): CustomObjectSpec {
  const image = ctx.clusterApi.hostImage;
  return {
    apiVersion: `${ClusterApiKinds.metal3MachineTemplate.apiGroup}/v1beta2`,
    kind: ClusterApiKinds.metal3MachineTemplate.kind,
    metadata: metadata(ctx, controlPlaneName(ctx.clusterApi.clusterName)),
    spec: {
      template: {
        spec: {
          hostSelector: { matchLabels: controlPlaneHostSelector(ctx) },
          image: { url: image.url, checksum: image.checksum, checksumType: image.checksumType, diskFormat: image.format },
        },
      },
    },
  };
}

/** The kubelet flag every control-plane node registers with: CAPM3's identity label, filled from the host's metadata. */
function controlPlaneNodeRegistration() {
  return { kubeletExtraArgs: [{ name: "node-labels", value: `${CAPM3_NODE_UUID_LABEL}=${CAPM3_METADATA.uuid}` }] };
}

/**
 * The KubeadmControlPlane: replicas and version from config, machines from the
 * control-plane template, control-plane images from the site's mirror (a
 * one-to-one copy of registry.k8s.io), and CAPM3's identity label on every
 * control-plane node (without it CAPM3 never sets their providerID and the
 * control plane never becomes ready).
 */
export function kubeadmControlPlaneSpec(ctx: SiteClusterContext): CustomObjectSpec {
  const { clusterName, controlPlane, kubernetesVersion } = ctx.clusterApi;
  return {
    apiVersion: `${ClusterApiKinds.controlPlane.apiGroup}/v1beta2`,
    kind: ClusterApiKinds.controlPlane.kind,
    metadata: metadata(ctx, controlPlaneName(clusterName)),
    spec: {
      replicas: controlPlane.replicas,
      version: kubernetesVersion,
      machineTemplate: {
        spec: { infrastructureRef: { ...ClusterApiKinds.metal3MachineTemplate, name: controlPlaneName(clusterName) } },
      },
      kubeadmConfigSpec: {
        clusterConfiguration: { imageRepository: ctx.mirrors.imageRegistry },
        initConfiguration: { nodeRegistration: controlPlaneNodeRegistration() },
        joinConfiguration: { nodeRegistration: controlPlaneNodeRegistration() },
      },
    },
  };
}
