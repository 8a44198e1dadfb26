import { describe, expect, it } from "vitest";
import {
  type InferenceContext,
  OFFLINE_ENV,
  kubeadmConfigTemplateSpec,
  machineDeploymentSpec,
  serverAutoscalerSpec,
  serverDeploymentSpec,
  serverDisruptionBudgetSpec,
  serverIngressSpec,
  serverNetworkPolicySpec,
  serverServiceSpec,
} from "../../components";
import type { FactoryConfig } from "../../config";
import { PLACEHOLDER_SECRET, REDACTED } from "../../plan";
import { osloRaw, osloWith, parseConfig, runWith } from "../helpers";

const parse = parseConfig;

function context(config: FactoryConfig, i: number): InferenceContext {
  const service = config.inference[i]!;
  return { site: config.site, service, tenant: config.tenants.find((t) => t.name === service.tenant)!, mirrors: config.mirrors };
}

const oslo = parse();
const chat = context(oslo, 0); // public-services on l40s-infer, 2 GPUs, 1..2 replicas
const docs = context(oslo, 1); // logistics on h100-train, 4 GPUs, ingress
const pod = (ctx: InferenceContext) => serverDeploymentSpec(ctx).spec.template.spec!;
const container = (ctx: InferenceContext) => pod(ctx).containers[0]!;

describe("the model server's placement", () => {
  it("selects its pool by exactly the label the pool's provisioning puts on its nodes", () => {
    const poolLabels = machineDeploymentSpec({
      site: oslo.site,
      pool: oslo.gpuPools[2]!,
      clusterApi: oslo.cluster.clusterApi!,
    }).spec["template"] as { metadata: { labels: Record<string, string> } };
    const selector = pod(chat).nodeSelector!;
    expect(selector).toEqual({ "aifactory.no.node-restriction.kubernetes.io/gpu-pool": "l40s-infer" });
    for (const [k, v] of Object.entries(selector)) expect(poolLabels.metadata.labels[k]).toBe(v);
  });

  it("tolerates exactly the taint the pool's nodes are registered with", () => {
    const registration = kubeadmConfigTemplateSpec({
      site: oslo.site,
      pool: oslo.gpuPools[2]!,
      clusterApi: oslo.cluster.clusterApi!,
    }).spec as { template: { spec: { joinConfiguration: { nodeRegistration: { taints: { key: string; value: string; effect: string }[] } } } } };
    const [taint] = registration.template.spec.joinConfiguration.nodeRegistration.taints;
    expect(pod(chat).tolerations).toEqual([{ key: taint!.key, operator: "Equal", value: taint!.value, effect: taint!.effect }]);
  });

  it("runs under the nvidia runtime at inference priority, non-root, without a service account token", () => {
    expect(pod(chat)).toMatchObject({
      runtimeClassName: "nvidia",
      priorityClassName: "aifactory-inference",
      automountServiceAccountToken: false,
      securityContext: { runAsNonRoot: true, runAsUser: 1000, seccompProfile: { type: "RuntimeDefault" } },
    });
    expect(container(chat).securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      runAsNonRoot: true,
      capabilities: { drop: ["ALL"] },
    });
  });
});

describe("the model server", () => {
  it("serves the model from the tenant's volume with tensor parallelism equal to its GPUs", () => {
    expect(container(docs).command).toEqual(["vllm", "serve"]);
    expect(container(docs).args).toEqual([
      "/models/nb/nb-llama-3.1-70b-instruct",
      "--served-model-name",
      "nb-llama-3.1-70b",
      "--tensor-parallel-size",
      "4",
      "--host",
      "0.0.0.0",
      "--port",
      "8000",
    ]);
    expect(pod(docs).volumes).toContainEqual({ name: "model", persistentVolumeClaim: { claimName: "models", readOnly: true } });
    expect(container(docs).volumeMounts).toContainEqual({ name: "model", mountPath: "/models", readOnly: true });
  });

  it("uses the vLLM image from the site's registry by default", () => {
    expect(container(chat).image).toBe("cr.oslo-1.aifactory.no/vllm/vllm-openai:v0.11.0");
  });

  it("gets shared memory sized for its tensor-parallel workers", () => {
    expect(pod(docs).volumes).toContainEqual({ name: "shm", emptyDir: { medium: "Memory", sizeLimit: "16Gi" } });
    expect(pod(chat).volumes).toContainEqual({ name: "shm", emptyDir: { medium: "Memory", sizeLimit: "8Gi" } });
  });

  it("requests and limits whole GPUs, with CPU and memory in proportion", () => {
    expect(container(docs).resources).toEqual({
      requests: { cpu: "16", memory: "128Gi", "nvidia.com/gpu": "4" },
      limits: { cpu: "16", memory: "128Gi", "nvidia.com/gpu": "4" },
    });
  });

  it("switches telemetry and hub downloads off and reads the API key from its Secret", () => {
    const env = container(chat).env!;
    for (const [name, value] of Object.entries(OFFLINE_ENV)) expect(env).toContainEqual({ name, value });
    expect(env).toContainEqual({ name: "VLLM_NO_USAGE_STATS", value: "1" });
    expect(env).toContainEqual({ name: "DO_NOT_TRACK", value: "1" });
    expect(env).toContainEqual({ name: "HF_HUB_OFFLINE", value: "1" });
    expect(env).toContainEqual({
      name: "VLLM_API_KEY",
      valueFrom: { secretKeyRef: { name: "normistral-chat-api-key", key: "api-key" } },
    });
  });

  it("gives a slow model load up to half an hour before liveness counts", () => {
    const c = container(chat);
    expect(c.startupProbe).toEqual({ httpGet: { path: "/health", port: "http" }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 180 });
    expect(c.readinessProbe).toMatchObject({ httpGet: { path: "/health" }, failureThreshold: 3 });
    expect(c.livenessProbe).toMatchObject({ httpGet: { path: "/health" }, periodSeconds: 20 });
  });

  it("leaves the replica count to the autoscaler when the range allows scaling", () => {
    expect(serverDeploymentSpec(chat).spec).not.toHaveProperty("replicas");
    const fixed = context(parse(osloWith({ "inference[0].replicas": 2 })), 0);
    expect(serverDeploymentSpec(fixed).spec?.replicas).toBe(2);
  });
});

describe("the service around it", () => {
  it("is reachable inside the cluster only, on a ClusterIP service", () => {
    expect(serverServiceSpec(chat).spec).toEqual({
      type: "ClusterIP",
      selector: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/instance": "normistral-chat" },
      ports: [{ name: "http", port: 8000, targetPort: "http", protocol: "TCP" }],
    });
  });

  it("lets drains take one replica at a time", () => {
    expect(serverDisruptionBudgetSpec(chat).spec).toEqual({
      maxUnavailable: 1,
      selector: { matchLabels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/instance": "normistral-chat" } },
    });
  });

  it("autoscales on queue depth from the metrics adapter, metric name configurable", () => {
    expect(serverAutoscalerSpec(chat).spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "normistral-chat" },
      minReplicas: 1,
      maxReplicas: 2,
      metrics: [
        {
          type: "Pods",
          pods: { metric: { name: "vllm_num_requests_waiting" }, target: { type: "AverageValue", averageValue: "5" } },
        },
      ],
      behavior: { scaleDown: { stabilizationWindowSeconds: 600 } },
    });
    const custom = context(parse(osloWith({ "inference[0].autoscaling": { metric: "queue_depth", targetAverage: "2" } })), 0);
    expect(JSON.stringify(serverAutoscalerSpec(custom).spec?.metrics)).toContain('"name":"queue_depth"');
  });

  it("admits only the tenant's namespace and allowed ones, and lets out only DNS and the tenant's pods", () => {
    const custom = context(parse(osloWith({ "inference[0].allowFrom": ["case-portal"] })), 0);
    expect(serverNetworkPolicySpec(custom, oslo.cluster.ingress).spec).toEqual({
      podSelector: { matchLabels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/instance": "normistral-chat" } },
      policyTypes: ["Ingress", "Egress"],
      ingress: [
        {
          from: [
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "public-services" } } },
            { namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "case-portal" } } },
          ],
          ports: [{ protocol: "TCP", port: 8000 }],
        },
      ],
      egress: [
        {
          to: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } },
              podSelector: { matchLabels: { "k8s-app": "kube-dns" } },
            },
          ],
          ports: [
            { protocol: "UDP", port: 53 },
            { protocol: "TCP", port: 53 },
          ],
        },
        { to: [{ podSelector: {} }] },
      ],
    });
  });

  it("admits the ingress controller and serves TLS only when exposed through an ingress", () => {
    const policy = serverNetworkPolicySpec(docs, oslo.cluster.ingress).spec!;
    expect(JSON.stringify(policy.ingress)).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
    const ingress = serverIngressSpec(docs, oslo.cluster.ingress);
    expect(ingress.metadata?.annotations).toMatchObject({ "cert-manager.io/cluster-issuer": "aifactory-ca" });
    expect(ingress.spec?.tls).toEqual([{ hosts: ["nb-llama.logistics.oslo-1.aifactory.no"], secretName: "nb-llama-docs-tls" }]);
  });
});

describe("the API key", () => {
  it("is exported only as a Pulumi secret, and only the Secret object receives it", async () => {
    const { resources, outputs } = await runWith(osloRaw());
    expect(outputs["inferenceApiKeys"]).toEqual({
      "public-services/normistral-chat": REDACTED,
      "logistics/nb-llama-docs": REDACTED,
    });
    // The mock gives every generated password PLACEHOLDER_SECRET: it must not reach any input in clear.
    expect(JSON.stringify(resources)).not.toContain(PLACEHOLDER_SECRET);
    const holders = resources.filter((r) => JSON.stringify(r.inputs).includes(REDACTED));
    expect(holders.map((r) => `${String(r.inputs["kind"])}/${r.name}`).sort()).toEqual([
      "Secret/oslo-1-inference-logistics-nb-llama-docs-api-key",
      "Secret/oslo-1-inference-public-services-normistral-chat-api-key",
    ]);
    for (const r of holders) expect(r.inputs["stringData"]).toEqual({ "api-key": REDACTED });
  });

  it("is generated by @pulumi/random, long and without special characters", async () => {
    const { resources } = await runWith(osloRaw());
    const passwords = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword");
    expect(passwords.map((r) => r.inputs)).toEqual([
      { length: 48, special: false },
      { length: 48, special: false },
    ]);
  });
});

describe("the Oslo stack's inference services", () => {
  it("declare HPA only for services whose replica range allows scaling, and an Ingress only when exposed", async () => {
    const { resources } = await runWith(osloWith({ "inference[0].replicas": 1 }));
    const kinds = (svc: string) =>
      resources
        .filter((r) => r.parent?.endsWith(`::oslo-1-inference-${svc}`) && r.type.startsWith("kubernetes:"))
        .map((r) => String(r.inputs["kind"]))
        .sort();
    expect(kinds("public-services-normistral-chat")).toEqual([
      "Deployment",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "Secret",
      "Service",
    ]);
    expect(kinds("logistics-nb-llama-docs")).toEqual([
      "Deployment",
      "HorizontalPodAutoscaler",
      "Ingress",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "Secret",
      "Service",
    ]);
  });

  it("export their OpenAI-compatible base URLs", async () => {
    const { outputs } = await runWith(osloRaw());
    expect(outputs["inferenceEndpoints"]).toEqual({
      "public-services/normistral-chat": { cluster: "http://normistral-chat.public-services.svc.cluster.local:8000/v1" },
      "logistics/nb-llama-docs": {
        cluster: "http://nb-llama-docs.logistics.svc.cluster.local:8000/v1",
        external: "https://nb-llama.logistics.oslo-1.aifactory.no/v1",
      },
    });
  });
});
