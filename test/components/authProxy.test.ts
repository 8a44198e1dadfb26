import { describe, expect, it } from "vitest";
import fc from "fast-check";
import * as pulumi from "@pulumi/pulumi";
import {
  type InferenceContext,
  PROXY_API_PORT,
  VLLM_LOOPBACK_PORT,
  clientRateLimits,
  keySlots,
  proxyBootstrap,
  proxySecretArgs,
  proxyListeners,
  serverArgs,
  serverDeploymentSpec,
  serverServiceSpec,
} from "../../components";
import { VLLM_ROUTES, VLLM_UNAUTHENTICATED_ROUTES, vllmRequiresApiKey } from "../../catalog";
import { envoyAnswer, envoyHandle } from "../upstream/envoy";
import { osloWith, parseConfig, runWith } from "../helpers";
import { PLACEHOLDER_SECRET, REDACTED } from "../../plan";

const credentials = [
  { client: "case-portal", key: "k-case-portal" },
  { client: "chatbot", key: "k-chatbot" },
];
const listeners = proxyListeners(credentials);
const concrete = (route: string) => route.replace(/\{[^}]+\}/g, "resp_1");
const bearer = (key: string) => ({ authorization: `Bearer ${key}` });

describe("the key-checking proxy", () => {
  it("refuses every vLLM route but /health without a key, including those vLLM itself leaves open", () => {
    const open = VLLM_ROUTES.filter((r) => !vllmRequiresApiKey(r) && !VLLM_UNAUTHENTICATED_ROUTES.includes(r));
    expect(open).toEqual(expect.arrayContaining(["/invocations", "/tokenize", "/pooling", "/score", "/rerank"]));
    for (const route of VLLM_ROUTES.map(concrete)) {
      const answer = envoyAnswer(listeners, "api", route);
      if (route === "/health") expect(answer).toMatchObject({ cluster: "vllm", path: "/health" });
      else expect(answer, route).toEqual({ status: 401 });
      expect(envoyAnswer(listeners, "api", route, bearer("wrong")), route).toEqual(route === "/health" ? expect.objectContaining({ cluster: "vllm" }) : { status: 401 });
      expect(envoyAnswer(listeners, "api", route, { "x-api-key": "k-chatbot" }), route).toEqual(
        route === "/health" ? expect.objectContaining({ cluster: "vllm" }) : { status: 401 },
      );
    }
  });

  it("serves every route but /metrics with a client's key, naming the client to vLLM and dropping the key", () => {
    for (const route of VLLM_ROUTES.map(concrete)) {
      for (const c of credentials) {
        const answer = envoyAnswer(listeners, "api", route, bearer(c.key));
        if (route === "/metrics") expect(answer).toEqual({ status: 404 });
        else expect(answer, route).toEqual({ cluster: "vllm", path: route, headers: route === "/health" ? bearer(c.key) : { "x-aifactory-client": c.client } });
      }
    }
  });

  it("reads the key from `Authorization: Bearer <key>` as Envoy v1.39.0's api_key_auth does: the exact scheme stripped, the rest matched exactly", () => {
    const served = (authorization: string) => "cluster" in envoyAnswer(listeners, "api", "/v1/chat/completions", { authorization });
    expect(served("Bearer k-chatbot")).toBe(true);
    // Envoy strips only `Bearer ` as written: another case or spacing leaves the scheme in the key, which then matches nothing.
    expect(served("bearer k-chatbot")).toBe(false);
    expect(served("BEARER k-chatbot")).toBe(false);
    expect(served("Bearer  k-chatbot")).toBe(false);
    expect(served("Basic k-chatbot")).toBe(false);
    expect(served("Bearer ")).toBe(false);
    expect(served("Bearer")).toBe(false);
    // The scheme is optional to Envoy: the bare key in the header is a key too (it is still the client's secret).
    expect(served("k-chatbot")).toBe(true);
    // Only the exact key: a prefix, an extension or another client's key with a suffix is refused.
    expect(served("Bearer k-chat")).toBe(false);
    expect(served("Bearer k-chatbotx")).toBe(false);
    fc.assert(
      fc.property(fc.string(), (key) => {
        const known = credentials.find((c) => c.key === key);
        const answer = envoyAnswer(listeners, "api", "/v1/models", bearer(key));
        expect(answer).toEqual(known === undefined ? { status: 401 } : { cluster: "vllm", path: "/v1/models", headers: { "x-aifactory-client": known.client } });
      }),
    );
  });

  it("hands vLLM neither the key nor a client name the caller sent itself", () => {
    const answer = envoyAnswer(listeners, "api", "/v1/completions", { ...bearer("k-case-portal"), "x-aifactory-client": "chatbot" });
    expect(answer).toEqual({ cluster: "vllm", path: "/v1/completions", headers: { "x-aifactory-client": "case-portal" } });
  });

  it("refuses any path at all without a key, not just those vLLM serves today", () => {
    fc.assert(
      fc.property(fc.webPath(), (path) => {
        const p = path === "" ? "/" : path;
        fc.pre(p !== "/health");
        expect(envoyAnswer(listeners, "api", p)).toEqual({ status: 401 });
      }),
    );
  });

  it("serves vLLM's and its own metrics on the metrics port, and nothing else there", () => {
    expect(envoyAnswer(listeners, "metrics", "/metrics")).toMatchObject({ cluster: "vllm", path: "/metrics" });
    expect(envoyAnswer(listeners, "metrics", "/proxy-metrics")).toMatchObject({ cluster: "admin", path: "/stats/prometheus" });
    for (const route of VLLM_ROUTES.filter((r) => r !== "/metrics").map(concrete)) {
      expect(envoyAnswer(listeners, "metrics", route, bearer("k-chatbot")), route).toEqual({ status: 404 });
    }
  });

  it("keeps vLLM on loopback, behind the proxy the Service targets", () => {
    const oslo = parseConfig();
    const service = oslo.inference[0]!;
    const ctx: InferenceContext = { site: oslo.site, service, tenant: oslo.tenants.find((t) => t.name === service.tenant)!, mirrors: oslo.mirrors };
    const args = serverArgs(service);
    expect(args[args.indexOf("--host") + 1]).toBe("127.0.0.1");
    expect(args[args.indexOf("--port") + 1]).toBe(String(VLLM_LOOPBACK_PORT));
    const bootstrap = proxyBootstrap({ id: "x", cluster: "y" });
    const vllm = bootstrap.static_resources.clusters.find((c) => c.name === "vllm")!;
    expect(vllm.load_assignment.endpoints[0]!.lb_endpoints[0]!.endpoint.address.socket_address).toEqual({ address: "127.0.0.1", port_value: VLLM_LOOPBACK_PORT });
    expect(bootstrap.admin.address.socket_address.address).toBe("127.0.0.1");
    const proxy = serverDeploymentSpec(ctx).spec.template.spec!.containers.find((c) => c.name === "auth-proxy")!;
    expect(proxy.image).toBe("cr.oslo-1.aifactory.no/envoyproxy/envoy:distroless-v1.39.0");
    expect(proxy.ports).toContainEqual({ name: "http", containerPort: PROXY_API_PORT, protocol: "TCP" });
    expect(serverServiceSpec(ctx).spec!.ports).toEqual([{ name: "http", port: PROXY_API_PORT, targetPort: "http", protocol: "TCP" }]);
    const pinned = parseConfig(osloWith({ "cluster.authProxy": { digest: `sha256:${"a".repeat(64)}` } }));
    const pinnedProxy = serverDeploymentSpec({ ...ctx, authProxy: pinned.cluster.authProxy }).spec.template.spec!.containers[1]!;
    expect(pinnedProxy.image).toBe(`cr.oslo-1.aifactory.no/envoyproxy/envoy:distroless-v1.39.0@sha256:${"a".repeat(64)}`);
  });
});

describe("keys per client", () => {
  const svc = (clients: unknown[]) => parseConfig(osloWith({ "inference[0].clients": clients })).inference[0]!;

  it("gives a service without clients its one key under the name it always had", () => {
    expect(keySlots(svc([]), "2026-12-01")).toEqual([{ client: "service", generation: 1, role: "api-key", current: true }]);
  });

  it("gives each client its own key, rotates by generation keeping the previous one while asked, and drops expired clients", () => {
    const clients = [
      { name: "case-portal" },
      { name: "chatbot", keyGeneration: 3, keepPreviousKey: true },
      { name: "pilot", expires: "2026-11-30" },
      { name: "batch", keyGeneration: 2 },
    ];
    expect(keySlots(svc(clients), "2026-11-30").map((s) => `${s.client}:${s.role}:${String(s.current)}`)).toEqual([
      "case-portal:client-case-portal:true",
      "chatbot:client-chatbot-g3:true",
      "chatbot:client-chatbot-g2:false",
      "pilot:client-pilot:true",
      "batch:client-batch-g2:true",
    ]);
    expect(keySlots(svc(clients), "2026-12-01").map((s) => s.client)).not.toContain("pilot");
  });

  it("refuses a malformed expiry, naming the key path", () => {
    expect(() => svc([{ name: "a", expires: "next week" }])).toThrow(/inference\[0\]\.clients\[0\]\.expires/);
  });
});

describe("client keys in the stack", () => {
  it("are generated per client, exported per client only as Pulumi secrets, and each mounted in the client's own Secret", async () => {
    const { resources, outputs } = await runWith(
      osloWith({ "inference[0].clients": [{ name: "case-portal" }, { name: "chatbot", keyGeneration: 2, keepPreviousKey: true }] }),
    );
    expect(outputs["inferenceClientKeys"]).toEqual({ "public-services/normistral-chat": { "case-portal": REDACTED, chatbot: REDACTED } });
    expect(outputs["inferenceApiKeys"]).toEqual({ "logistics/nb-llama-docs": REDACTED });
    expect(JSON.stringify(resources)).not.toContain(PLACEHOLDER_SECRET);
    const passwords = resources.filter((r) => r.type === "random:index/randomPassword:RandomPassword").map((r) => r.name).sort();
    expect(passwords).toEqual([
      "oslo-1-inference-logistics-nb-llama-docs-api-key",
      "oslo-1-inference-public-services-normistral-chat-client-case-portal",
      "oslo-1-inference-public-services-normistral-chat-client-chatbot",
      "oslo-1-inference-public-services-normistral-chat-client-chatbot-g2",
    ]);
    const secrets = resources.filter((r) => r.inputs["kind"] === "Secret" && r.name.includes("normistral-chat")).map((r) => r.name).sort();
    expect(secrets).toEqual([
      "oslo-1-inference-public-services-normistral-chat-auth-proxy",
      "oslo-1-inference-public-services-normistral-chat-key-case-portal",
      "oslo-1-inference-public-services-normistral-chat-key-chatbot",
    ]);
  });
});

describe("client config", () => {
  it("refuses two clients of one service with the same name, naming the key path", () => {
    expect(() => parseConfig(osloWith({ "inference[0].clients": [{ name: "app" }, { name: "app" }] }))).toThrow(
      /inference\[0\]\.clients\[1\]\.name: 'app' is already a client of this service/,
    );
  });
});

interface ApiManager {
  route_config: { virtual_hosts: { virtual_clusters?: { name: string }[] }[] };
  http_filters: { name: string; typed_config: Record<string, unknown> }[];
}
const apiManager = (config: ReturnType<typeof proxyListeners>) => config.resources[0]!.filter_chains[0]!.filters[0]!.typed_config as unknown as ApiManager;

describe("per-client traffic in the proxy", () => {
  const charged = (path: string, headers: Record<string, string>) => envoyHandle(listeners, "api", path, headers).virtualCluster;

  it("charges each request that reaches vLLM to the client whose key it carries, whatever client header the caller sent", () => {
    expect(charged("/v1/chat/completions", bearer("k-chatbot"))).toBe("chatbot");
    expect(charged("/tokenize", bearer("k-case-portal"))).toBe("case-portal");
    expect(charged("/v1/completions", { ...bearer("k-case-portal"), "x-aifactory-client": "chatbot" })).toBe("case-portal");
    // Refused before the router: charged to no one.
    expect(charged("/v1/completions", bearer("wrong"))).toBeUndefined();
    expect(charged("/v1/completions", { "x-aifactory-client": "chatbot" })).toBeUndefined();
  });

  it("charges the probes, which pass without a key, to no client even when they name one", () => {
    expect(charged("/health", { "x-aifactory-client": "chatbot" })).toBe("other");
    expect(charged("/health?deep=1", { "x-aifactory-client": "chatbot" })).toBe("other");
    expect(envoyAnswer(listeners, "api", "/health?deep=1")).toMatchObject({ cluster: "vllm" });
    expect(charged("/healthz", bearer("k-chatbot"))).toBe("chatbot");
  });

  it("names one virtual cluster per client, so a client's old and new keys count as one client", () => {
    const rotating = proxyListeners([...credentials, { client: "chatbot", key: "k-chatbot-old" }]);
    const host = apiManager(rotating).route_config.virtual_hosts[0]!;
    expect(host.virtual_clusters?.map((v) => v.name)).toEqual(["case-portal", "chatbot"]);
    expect(envoyHandle(rotating, "api", "/v1/models", bearer("k-chatbot-old")).virtualCluster).toBe("chatbot");
  });
});

describe("per-client rate limits", () => {
  const limited = (clients: unknown[]) => clientRateLimits(parseConfig(osloWith({ "inference[0].clients": clients })).inference[0]!);
  const limits = limited([{ name: "case-portal" }, { name: "chatbot", rateLimit: { requestsPerMinute: 3 } }]);
  const withLimits = proxyListeners(credentials, limits);

  it("hold a limited client to its requests per minute, and no one else", () => {
    const buckets = new Map<string, number>();
    const send = (key: string, path = "/v1/chat/completions") => envoyAnswer(withLimits, "api", path, bearer(key), buckets);
    for (let i = 0; i < 3; i++) expect(send("k-chatbot")).toMatchObject({ cluster: "vllm" });
    expect(send("k-chatbot")).toEqual({ status: 429 });
    expect(send("k-chatbot", "/invocations")).toEqual({ status: 429 });
    // Another client, unlimited, and the probes are not held back.
    for (let i = 0; i < 50; i++) expect(send("k-case-portal")).toMatchObject({ cluster: "vllm" });
    expect(envoyAnswer(withLimits, "api", "/health", { "x-aifactory-client": "chatbot" }, buckets)).toMatchObject({ cluster: "vllm" });
    // A caller cannot spend a client's budget by naming it: the key check replaces the header, or refuses first.
    expect(envoyAnswer(withLimits, "api", "/v1/models", { ...bearer("wrong"), "x-aifactory-client": "chatbot" }, buckets)).toEqual({ status: 401 });
  });

  it("limit whatever the client's budget, and a client's other key shares it (fast-check)", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 40 }), fc.integer({ min: 0, max: 60 }), (perMinute, sent) => {
        const config = proxyListeners([...credentials, { client: "chatbot", key: "k-chatbot-old" }], [{ client: "chatbot", requestsPerMinute: perMinute }]);
        const buckets = new Map<string, number>();
        let served = 0;
        for (let i = 0; i < sent; i++) {
          const answer = envoyAnswer(config, "api", "/v1/completions", bearer(i % 2 === 0 ? "k-chatbot" : "k-chatbot-old"), buckets);
          if ("cluster" in answer) served++;
        }
        expect(served).toBe(Math.min(sent, perMinute));
      }),
    );
  });

  it("come as Envoy's local rate limit after the key check, enabled and enforced for every request; none without limits", () => {
    const filters = apiManager(withLimits).http_filters.map((f) => f.name);
    expect(filters).toEqual(["envoy.filters.http.api_key_auth", "envoy.filters.http.local_ratelimit", "envoy.filters.http.router"]);
    const rl = apiManager(withLimits).http_filters[1]!.typed_config;
    expect(rl["filter_enabled"]).toMatchObject({ default_value: { numerator: 100, denominator: "HUNDRED" } });
    expect(rl["filter_enforced"]).toMatchObject({ default_value: { numerator: 100, denominator: "HUNDRED" } });
    expect(rl["descriptors"]).toEqual([{ entries: [{ key: "client", value: "chatbot" }], token_bucket: { max_tokens: 3, tokens_per_fill: 3, fill_interval: "60s" } }]);
    const unlimited = proxyListeners(credentials, limited([{ name: "case-portal" }, { name: "chatbot" }]));
    expect(apiManager(unlimited).http_filters.map((f) => f.name)).not.toContain("envoy.filters.http.local_ratelimit");
  });

  it("reach the service's proxy Secret from config: the listeners Envoy loads hold each limited client to its budget", async () => {
    const oslo = parseConfig(osloWith({ "inference[0].clients": [{ name: "case-portal" }, { name: "chatbot", rateLimit: { requestsPerMinute: 7 } }] }));
    const service = oslo.inference[0]!;
    const ctx: InferenceContext = { site: oslo.site, service, tenant: oslo.tenants.find((t) => t.name === service.tenant)!, mirrors: oslo.mirrors };
    const data = pulumi.output(proxySecretArgs(ctx, credentials).stringData);
    const files = await new Promise<Record<string, string>>((resolve) => {
      data.apply((d) => {
        resolve(d ?? {});
      });
    });
    const loaded = JSON.parse(files["listeners.json"]!) as ReturnType<typeof proxyListeners>;
    const buckets = new Map<string, number>();
    const served = Array.from({ length: 10 }, () => envoyAnswer(loaded, "api", "/v1/completions", bearer("k-chatbot"), buckets)).filter((a) => "cluster" in a);
    expect(served).toHaveLength(7);
    expect(envoyAnswer(loaded, "api", "/v1/completions", bearer("k-case-portal"), buckets)).toMatchObject({ cluster: "vllm" });
    expect(envoyHandle(loaded, "api", "/v1/completions", bearer("k-case-portal"), buckets).virtualCluster).toBe("case-portal");
  });

  it("refuse a budget that is not a positive whole number, and the reserved client name, naming the key path", () => {
    expect(() => limited([{ name: "a", rateLimit: { requestsPerMinute: 0 } }])).toThrow(/inference\[0\]\.clients\[0\]\.rateLimit\.requestsPerMinute/);
    expect(() => limited([{ name: "a", rateLimit: { requestsPerMinute: 1.5 } }])).toThrow(/inference\[0\]\.clients\[0\]\.rateLimit\.requestsPerMinute/);
    expect(() => limited([{ name: "a", rateLimit: { perHour: 5 } }])).toThrow(/inference\[0\]\.clients\[0\]\.rateLimit/);
    expect(() => limited([{ name: "other" }])).toThrow(/inference\[0\]\.clients\[0\]\.name: 'other' is reserved/);
  });
});
