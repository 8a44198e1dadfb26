/**
 * Validating Kubernetes objects offline: core kinds against the upstream
 * OpenAPI schemas (through kubernetes-models), PodMonitors, ScaledObjects,
 * Gateways and HTTPRoutes against their projects' CRD schemas (the
 * `@kubernetes-models/*` packages), every object for apiVersion,
 * kind, metadata and label syntax. An invalid object fails the plan.
 */
import type { KubernetesObject } from "./manifests";
import { KUEUE_API_VERSION } from "../catalog";
import { KUEUE_SCHEMAS, kueueProblems } from "./kueueSchemas";
import { operatorProblems } from "./operatorSchemas";

/** A model class from kubernetes-models: construct, then `validate()` throws on a schema error. */
type ModelClass = new (data: unknown) => { validate(): void };

const models = new Map<string, ModelClass | undefined>();

/**
 * Packages with upstream schemas for custom resources the factory writes, by
 * API group: Prometheus Operator v0.65.1, KEDA v2.10.1, Gateway API v1.0.0.
 */
const THIRD_PARTY_MODELS: Readonly<Record<string, string>> = {
  "monitoring.coreos.com": "@kubernetes-models/prometheus-operator",
  "keda.sh": "@kubernetes-models/keda",
  "gateway.networking.k8s.io": "@kubernetes-models/gateway-api",
};

/** The module path of an apiVersion and kind's model: kubernetes-models for core kinds, a third-party package by group. */
function modulePathFor(apiVersion: string, kind: string): string {
  const group = apiVersion.includes("/") ? apiVersion.slice(0, apiVersion.indexOf("/")) : "";
  const pkg = THIRD_PARTY_MODELS[group];
  return pkg === undefined ? `kubernetes-models/${apiVersion}/${kind}` : `${pkg}/${apiVersion}/${kind}`;
}

/** The model class for an apiVersion and kind, if an upstream schema is packaged for it. */
function modelFor(apiVersion: string, kind: string): ModelClass | undefined {
  const key = `${apiVersion}/${kind}`;
  if (models.has(key)) return models.get(key);
  let model: ModelClass | undefined;
  if (/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(apiVersion) && /^[A-Z][A-Za-z0-9]*$/.test(kind)) {
    try {
      const mod = require(modulePathFor(apiVersion, kind)) as Record<string, ModelClass | undefined>;
      model = mod[kind];
    } catch {
      model = undefined; // no packaged schema: a custom resource checked for metadata only
    }
  }
  models.set(key, model);
  return model;
}

const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** Problems with a label key (`prefix/name`) or value, per the Kubernetes rules. */
export function labelProblems(key: string, value: unknown): string[] {
  const out: string[] = [];
  const slash = key.lastIndexOf("/");
  const prefix = slash < 0 ? undefined : key.slice(0, slash);
  const name = slash < 0 ? key : key.slice(slash + 1);
  if (prefix !== undefined && (prefix.length > 253 || !DNS_SUBDOMAIN.test(prefix))) out.push(`label key ${JSON.stringify(key)} has an invalid prefix`);
  if (name.length === 0 || name.length > 63 || !LABEL_NAME.test(name)) out.push(`label key ${JSON.stringify(key)} has an invalid name`);
  if (typeof value !== "string") out.push(`label ${JSON.stringify(key)} is not a string`);
  else if (value !== "" && (value.length > 63 || !LABEL_NAME.test(value))) out.push(`label ${JSON.stringify(key)} has an invalid value ${JSON.stringify(value)}`);
  return out;
}

function metadataProblems(obj: KubernetesObject): string[] {
  const out: string[] = [];
  const meta = obj.metadata;
  if (typeof meta.name !== "string" || meta.name.length > 253 || !DNS_SUBDOMAIN.test(meta.name)) {
    out.push(`metadata.name ${JSON.stringify(meta.name)} is not a valid object name`);
  }
  if (meta.namespace !== undefined && (typeof meta.namespace !== "string" || !DNS_LABEL.test(meta.namespace))) {
    out.push(`metadata.namespace ${JSON.stringify(meta.namespace)} is not a valid namespace`);
  }
  const labels = meta["labels"];
  if (labels !== undefined && labels !== null) {
    for (const [k, v] of Object.entries(labels as Record<string, unknown>)) out.push(...labelProblems(k, v));
  }
  return out;
}

/** Every problem with one object; empty when it is valid. */
export function validateObject(obj: KubernetesObject): string[] {
  const out: string[] = [];
  if (!/^([a-z0-9.-]+\/)?v[0-9a-z]+$/.test(obj.apiVersion)) out.push(`apiVersion ${JSON.stringify(obj.apiVersion)} is not group/version`);
  if (!/^[A-Z][A-Za-z0-9]*$/.test(obj.kind)) out.push(`kind ${JSON.stringify(obj.kind)} is not a Kind`);
  out.push(...metadataProblems(obj));
  if (obj.apiVersion === "pulumi.com/v1") {
    // No package ships the Pulumi Kubernetes Operator's models: our schema of its v2.9.0 Stack.
    out.push(...(operatorProblems(obj, obj.kind) ?? [`kind ${obj.kind} is not an operator kind the factory knows`]));
    return out;
  }
  if (obj.apiVersion === KUEUE_API_VERSION) {
    // No package ships Kueue's models: our schemas of its v0.19.2 CRDs.
    out.push(...(kueueProblems(obj, obj.kind) ?? [`kind ${obj.kind} is not a Kueue kind the factory knows`]));
    return out;
  }
  const Model = modelFor(obj.apiVersion, obj.kind);
  if (Model) {
    try {
      new Model(obj).validate();
    } catch (err) {
      out.push(`schema: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return out;
}

/** Whether an object's kind has an upstream schema (it is checked in full). */
export function hasUpstreamSchema(obj: Pick<KubernetesObject, "apiVersion" | "kind">): boolean {
  if (obj.apiVersion === KUEUE_API_VERSION) return KUEUE_SCHEMAS[obj.kind] !== undefined;
  if (obj.apiVersion === "pulumi.com/v1") return obj.kind === "Stack";
  return modelFor(obj.apiVersion, obj.kind) !== undefined;
}
