import { describe, expect, it } from "vitest";
import {
  type InferenceContext,
  OFFLINE_ENV,
  kubeadmConfigTemplateSpec,
  machineDeploymentSpec,
  scalingQuery,
  serverAwaitTimeouts,
  serverDeploymentSpec,
  serverDisruptionBudgetSpec,
  serverHttpRouteSpec,
  serverIngressSpec,
  serverNetworkPolicySpec,
  serverPodMonitorSpec,
  serverProbes,
  serverScaledObjectSpec,
  serverServiceSpec,
  siteGatewaySpec,
} from "../../components";
import { VLLM_ROUTES, VLLM_SCALING_METRICS, vllmRequiresApiKey } from "../../catalog";
import { httpRouteRoutes, ingressRoutes } from "../upstream/routing";
import { promqlProblems } from "../upstream/promql";
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
      "127.0.0.1",
      "--port",
      "8001",
    ]);
    expect(pod(docs).volumes).toContainEqual({ name: "model", persistentVolumeClaim: { claimName: "models", readOnly: true } });
    expect(container(docs).volumeMounts).toContainEqual({ name: "model", mountPath: "/models", readOnly: true });
  });

  it("uses the vLLM image from the site's registry by default", () => {
    expect(container(chat).image).toMatch(/^cr\.oslo-1\.aifactory\.no\/vllm\/vllm-openai:v0\.11\.0@sha256:[0-9a-f]{64}$/);
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

  it("switches telemetry and hub downloads off, and leaves keys to the proxy beside it", () => {
    const env = container(chat).env!;
    for (const [name, value] of Object.entries(OFFLINE_ENV)) expect(env).toContainEqual({ name, value });
    expect(env).toContainEqual({ name: "VLLM_NO_USAGE_STATS", value: "1" });
    expect(env).toContainEqual({ name: "DO_NOT_TRACK", value: "1" });
    expect(env).toContainEqual({ name: "HF_HUB_OFFLINE", value: "1" });
    expect(env.map((e) => e.name)).not.toContain("VLLM_API_KEY");
    expect(pod(chat).containers.map((c) => c.name)).toEqual(["server", "auth-proxy"]);
    expect(container(chat).ports).toBeUndefined();
  });

  it("gives a slow model load up to half an hour before liveness counts", () => {
    const c = container(chat);
    expect(c.startupProbe).toEqual({ httpGet: { path: "/health", port: 8000 }, periodSeconds: 10, timeoutSeconds: 5, failureThreshold: 180 });
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

  it("scales with KEDA on vLLM's own queue metric, summed over the service's scraped pods", () => {
    const scaled = serverScaledObjectSpec(chat, oslo.cluster.monitoring);
    expect(scaled.apiVersion).toBe("keda.sh/v1alpha1");
    expect(scaled.spec).toEqual({
      scaleTargetRef: { apiVersion: "apps/v1", kind: "Deployment", name: "normistral-chat" },
      minReplicaCount: 1,
      maxReplicaCount: 2,
      advanced: { horizontalPodAutoscalerConfig: { behavior: { scaleDown: { stabilizationWindowSeconds: 600 } } } },
      triggers: [
        {
          type: "prometheus",
          metadata: {
            serverAddress: "http://prometheus-operated.monitoring.svc:9090",
            query: 'sum(vllm:num_requests_waiting{namespace="public-services",job="public-services/normistral-chat"})',
            threshold: "5",
          },
        },
      ],
    });
    const custom = context(parse(osloWith({ "inference[0].autoscaling": { metric: "vllm:num_requests_running", targetAverage: "500m" } })), 0);
    const trigger = (serverScaledObjectSpec(custom, oslo.cluster.monitoring).spec["triggers"] as { metadata: Record<string, string> }[])[0]!;
    expect(trigger.metadata["query"]).toContain("vllm:num_requests_running{");
    expect(trigger.metadata["threshold"]).toBe("0.5");
  });

  it("queries a metric vLLM exports, in PromQL that parses, selecting the targets of the service's own PodMonitor", () => {
    const serviceRelabel = { action: "replace", sourceLabels: ["__meta_kubernetes_pod_label_app_kubernetes_io_instance"], targetLabel: "service" };
    for (const metric of VLLM_SCALING_METRICS) {
      const ctx = context(parse(osloWith({ "inference[0].autoscaling": { metric } })), 0);
      expect(promqlProblems(scalingQuery(ctx)), metric).toEqual([]);
    }
    // The metric name the HPA used to ask a metrics adapter for is not one vLLM exports.
    expect(VLLM_SCALING_METRICS as readonly string[]).not.toContain("vllm_num_requests_waiting");
    const monitor = serverPodMonitorSpec(chat, oslo.cluster.monitoring);
    // Prometheus Operator names a PodMonitor's job <namespace>/<name>, which the query selects.
    expect(`${monitor.metadata.namespace}/${monitor.metadata.name}`).toBe("public-services/normistral-chat");
    expect(monitor.spec).toEqual({
      selector: { matchLabels: { "app.kubernetes.io/name": "vllm", "app.kubernetes.io/instance": "normistral-chat" } },
      podMetricsEndpoints: [
        { port: "metrics", path: "/metrics", interval: "15s", relabelings: [serviceRelabel] },
        { port: "metrics", path: "/proxy-metrics", interval: "15s", relabelings: [serviceRelabel] },
      ],
    });
    expect(promqlProblems("sum(vllm:num_requests_waiting{namespace=")).not.toEqual([]);
  });

  it("labels the PodMonitor for the site's Prometheus to select it", () => {
    const custom = parse(osloWith({ "cluster.monitoring": { podMonitorLabels: { release: "kube-prometheus-stack" } } }));
    expect(serverPodMonitorSpec(chat, custom.cluster.monitoring).metadata.labels).toMatchObject({ release: "kube-prometheus-stack" });
  });

  it("refuses an autoscaling metric vLLM does not export, naming the allowed ones", () => {
    expect(() => parse(osloWith({ "inference[0].autoscaling": { metric: "vllm_num_requests_waiting" } }))).toThrow(
      /inference\[0\]\.autoscaling\.metric: .*vllm:num_requests_waiting/,
    );
  });

  it("admits only the tenant's namespace and allowed ones to the proxy, Prometheus pods to metrics, and lets out only DNS and the tenant's pods", () => {
    const custom = context(parse(osloWith({ "inference[0].allowFrom": ["case-portal"] })), 0);
    expect(serverNetworkPolicySpec(custom, oslo.cluster).spec).toEqual({
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
        {
          from: [
            {
              namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "monitoring" } },
              podSelector: { matchLabels: { "app.kubernetes.io/name": "prometheus" } },
            },
          ],
          ports: [{ protocol: "TCP", port: 9464 }],
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

  it("admits the Gateway's proxies when exposed, or the ingress controller on an Ingress site", () => {
    expect(JSON.stringify(serverNetworkPolicySpec(docs, oslo.cluster).spec!.ingress)).toContain('"kubernetes.io/metadata.name":"envoy-gateway-system"');
    const ingressSite = parse(osloWith({ "cluster.externalExposure": "ingress" }));
    expect(JSON.stringify(serverNetworkPolicySpec(docs, ingressSite.cluster).spec!.ingress)).toContain('"kubernetes.io/metadata.name":"ingress-nginx"');
    expect(JSON.stringify(serverNetworkPolicySpec(chat, oslo.cluster).spec!.ingress)).not.toContain("envoy-gateway-system");
  });

  it("serves TLS on the Ingress with a cert-manager issuer", () => {
    const ingress = serverIngressSpec(docs, oslo.cluster.ingress);
    expect(ingress.metadata?.annotations).toMatchObject({ "cert-manager.io/cluster-issuer": "aifactory-ca" });
    expect(ingress.spec?.tls).toEqual([{ hosts: ["nb-llama.logistics.oslo-1.aifactory.no"], secretName: "nb-llama-docs-tls" }]);
  });

  it("lets no request from outside reach a vLLM route that skips the API key, through the Gateway or an Ingress", () => {
    const host = "nb-llama.logistics.oslo-1.aifactory.no";
    const viaGateway = httpRouteRoutes(serverHttpRouteSpec(docs, oslo.cluster));
    const viaIngress = ingressRoutes(serverIngressSpec(docs, oslo.cluster.ingress));
    for (const [how, routes] of [["gateway", viaGateway], ["ingress", viaIngress]] as const) {
      const reachable = VLLM_ROUTES.filter((path) => routes(host, path) === "nb-llama-docs");
      expect(reachable.length, how).toBeGreaterThan(0);
      for (const path of reachable) expect(vllmRequiresApiKey(path), `${how} ${path}`).toBe(true);
      for (const path of ["/invocations", "/tokenize", "/metrics", "/pooling", "/score", "/v2/rerank", "/v1x"]) {
        expect(routes(host, path), `${how} ${path}`).toBeUndefined();
      }
      expect(routes(host, "/v1/chat/completions"), how).toBe("nb-llama-docs");
      expect(routes("other.example.no", "/v1/chat/completions"), how).toBeUndefined();
    }
  });

  it("attaches the HTTPRoute to the service's own HTTPS listener on the site's Gateway, which terminates TLS", () => {
    const route = serverHttpRouteSpec(docs, oslo.cluster);
    expect(route.spec["parentRefs"]).toEqual([
      {
        group: "gateway.networking.k8s.io",
        kind: "Gateway",
        namespace: "aifactory-system",
        name: "aifactory",
        sectionName: "https-logistics-nb-llama-docs",
      },
    ]);
    const gateway = siteGatewaySpec({ site: oslo.site, cluster: oslo.cluster, services: oslo.inference });
    expect(gateway.metadata.annotations).toEqual({ "cert-manager.io/cluster-issuer": "aifactory-ca" });
    expect(gateway.spec).toEqual({
      gatewayClassName: "eg",
      listeners: [
        {
          name: "https-logistics-nb-llama-docs",
          hostname: "nb-llama.logistics.oslo-1.aifactory.no",
          port: 443,
          protocol: "HTTPS",
          tls: { mode: "Terminate", certificateRefs: [{ kind: "Secret", name: "https-logistics-nb-llama-docs-tls" }] },
          allowedRoutes: {
            namespaces: { from: "Selector", selector: { matchLabels: { "kubernetes.io/metadata.name": "logistics" } } },
            kinds: [{ group: "gateway.networking.k8s.io", kind: "HTTPRoute" }],
          },
        },
      ],
    });
  });

  it("waits for the server as long as its startup probe allows, plus scheduling, pull and (on create) node provisioning", () => {
    const { startupProbe } = serverProbes();
    const window = startupProbe.periodSeconds * startupProbe.failureThreshold;
    const minutes = (t: string) => Number(/^(\d+)m$/.exec(t)![1]);
    const timeouts = serverAwaitTimeouts();
    expect(minutes(timeouts.update) * 60).toBeGreaterThan(window);
    expect(minutes(timeouts.create)).toBeGreaterThan(minutes(timeouts.update));
    // @pulumi/kubernetes' default (10 minutes) is shorter than model loading may take.
    expect(window).toBeGreaterThan(10 * 60);
  });
});

describe("the API key", () => {
  it("is exported only as a Pulumi secret, and only the Secret object receives it", async () => {
    const { resources, outputs } = await runWith(osloRaw());
    expect(outputs["inferenceClientKeys"]).toEqual({});
    expect(outputs["inferenceApiKeys"]).toEqual({
      "public-services/normistral-chat": REDACTED,
      "logistics/nb-llama-docs": REDACTED,
    });
    // The mock gives every generated password PLACEHOLDER_SECRET: it must not reach any input in clear.
    expect(JSON.stringify(resources)).not.toContain(PLACEHOLDER_SECRET);
    const holders = resources.filter((r) => JSON.stringify(r.inputs).includes(REDACTED));
    expect(holders.map((r) => `${String(r.inputs["kind"])}/${r.name}`).sort()).toEqual([
      "Secret/oslo-1-inference-logistics-nb-llama-docs-api-key",
      "Secret/oslo-1-inference-logistics-nb-llama-docs-auth-proxy",
      "Secret/oslo-1-inference-public-services-normistral-chat-api-key",
      "Secret/oslo-1-inference-public-services-normistral-chat-auth-proxy",
    ]);
    for (const r of holders.filter((h) => h.name.endsWith("-api-key"))) expect(r.inputs["stringData"]).toEqual({ "api-key": REDACTED });
    for (const r of holders.filter((h) => h.name.endsWith("-auth-proxy"))) {
      expect((r.inputs["stringData"] as Record<string, unknown>)["listeners.json"]).toBe(REDACTED);
    }
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
  it("wait for their own volume and their tenant's queues, not every tenant's", async () => {
    const { resources } = await runWith(osloRaw());
    const services = resources.filter((r) => r.type === "sovereign-ai-factory:inference:InferenceService");
    const claims = resources.filter((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim");
    const localQueues = resources.filter((r) => r.custom && r.name.includes("local-queue-"));
    expect(services.length).toBeGreaterThan(1);
    for (const service of oslo.inference) {
      const recorded = services.find((r) => r.name.endsWith(`inference-${service.tenant}-${service.name}`));
      const waits = new Set(recorded?.options.dependsOn ?? []);
      const own = claims.filter((c) => c.name.endsWith(`volume-${service.tenant}-${service.model.volume}`));
      expect(own).toHaveLength(1);
      for (const claim of claims) expect(waits.has(claim.urn), `${service.name} waits for ${claim.name}`).toBe(own.includes(claim));
      for (const queue of localQueues) expect(waits.has(queue.urn), `${service.name} waits for ${queue.name}`).toBe(queue.name.endsWith(`local-queue-${service.tenant}`));
    }
    expect(localQueues.length).toBeGreaterThan(1);
  });

  it("declare an autoscaler only for services whose replica range allows scaling, and a route only when exposed", async () => {
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
      "PodMonitor",
      "Secret",
      "Secret",
      "Service",
    ]);
    expect(kinds("logistics-nb-llama-docs")).toEqual([
      "Deployment",
      "HTTPRoute",
      "NetworkPolicy",
      "PodDisruptionBudget",
      "PodMonitor",
      "ScaledObject",
      "Secret",
      "Secret",
      "Service",
    ]);
    const ingressSite = await runWith(osloWith({ "cluster.externalExposure": "ingress" }));
    const kindsThere = ingressSite.resources.map((r) => String(r.inputs["kind"]));
    expect(kindsThere).toContain("Ingress");
    expect(kindsThere).not.toContain("HTTPRoute");
    expect(kindsThere).not.toContain("Gateway");
  });

  it("give the Deployment and Service timeouts the engine will wait for, and leave others at the provider's", async () => {
    const { resources } = await runWith(osloRaw());
    const server = resources.filter((r) => r.name.endsWith("-server") || r.name.endsWith("-service"));
    expect(server).toHaveLength(4);
    for (const r of server) expect(r.options.customTimeouts, r.name).toEqual(serverAwaitTimeouts());
    const pdb = resources.find((r) => r.name.endsWith("-pdb"))!;
    expect(pdb.options.customTimeouts).toBeUndefined();
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
