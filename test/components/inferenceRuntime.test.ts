/**
 * What a model server needs to start and to serve long generations: a user
 * name and writable caches under a read-only root as a uid with no passwd
 * entry (vLLM v0.11.0's image), and routes whose timeouts outlast a stream.
 */
import { describe, expect, it } from "vitest";
import {
  type InferenceContext,
  SERVER_UID,
  runtimeEnv,
  serverDeploymentSpec,
  serverHttpRouteSpec,
  serverIngressSpec,
} from "../../components";
import { GETPASS_USER_ENV, VLLM_CACHE_ENV } from "../../catalog";
import { type FactoryConfig, durationSeconds, parseFactoryConfig } from "../../config";
import { osloWith, parseConfig } from "../helpers";
import { envoyRouteTimeouts } from "../upstream/envoyGateway";

function context(config: FactoryConfig, i: number): InferenceContext {
  const service = config.inference[i]!;
  return { site: config.site, service, tenant: config.tenants.find((t) => t.name === service.tenant)!, mirrors: config.mirrors };
}

const oslo = parseConfig();
const chat = context(oslo, 0);
const docs = () => context(oslo, 1).service;
const pod = serverDeploymentSpec(chat).spec.template.spec!;
const server = pod.containers[0]!;
const env = Object.fromEntries((server.env ?? []).flatMap((e) => (e.value === undefined ? [] : [[e.name, e.value]])));

/** CPython's getpass.getuser() (3.12): the first of LOGNAME, USER, LNAME, USERNAME that is set, else the passwd entry. */
function getuser(environ: Record<string, string>, passwd: ReadonlyMap<number, string>, uid: number): string {
  for (const name of GETPASS_USER_ENV) {
    const value = environ[name];
    if (value !== undefined && value !== "") return value;
  }
  const entry = passwd.get(uid);
  if (entry === undefined) throw new Error(`KeyError: 'getpwuid(): uid not found: ${uid}'`);
  return entry;
}

/** The paths a container may write: mounts not marked read-only, of volumes that are writable (emptyDir). */
function writableMounts(): string[] {
  const emptyDirs = new Set((pod.volumes ?? []).filter((v) => v.emptyDir !== undefined).map((v) => v.name));
  return (server.volumeMounts ?? []).filter((m) => m.readOnly !== true && emptyDirs.has(m.name)).map((m) => m.mountPath);
}

const under = (path: string, mount: string) => path === mount || path.startsWith(`${mount}/`);

describe("a model server starting as a uid the image does not know", () => {
  it("runs as that uid on a read-only root filesystem (what makes the rest necessary)", () => {
    expect(pod.securityContext?.runAsUser).toBe(SERVER_UID);
    expect(server.securityContext?.readOnlyRootFilesystem).toBe(true);
  });

  it("has a user name getpass.getuser() finds without a passwd entry (Inductor calls it as vLLM imports)", () => {
    const noPasswd = new Map<number, string>([[0, "root"]]);
    expect(() => getuser({}, noPasswd, SERVER_UID)).toThrow("uid not found: 1000");
    expect(getuser(env, noPasswd, SERVER_UID)).toBe("vllm");
  });

  it("sets every cache directory the image's software writes, as catalogued at vLLM v0.11.0", () => {
    for (const name of Object.keys(VLLM_CACHE_ENV)) expect(env[name], name).toBeDefined();
    expect(env["TMPDIR"]).toBeDefined();
    expect(Object.keys(runtimeEnv()).sort()).toEqual(
      [...Object.keys(VLLM_CACHE_ENV), "LOGNAME", "USER", "TMPDIR"].sort(),
    );
  });

  it("points every directory it sets into a writable mount", () => {
    const writable = writableMounts();
    expect(writable).toEqual(expect.arrayContaining(["/cache", "/tmp"]));
    const paths = Object.entries(env).filter(([, v]) => v.startsWith("/"));
    expect(paths.length).toBeGreaterThanOrEqual(Object.keys(VLLM_CACHE_ENV).length + 1);
    for (const [name, path] of paths) {
      expect(writable.some((m) => under(path, m)), `${name}=${path}`).toBe(true);
    }
  });

  it("keeps the defaults that are not set writable too: vLLM's roots and Inductor's fall under HOME, XDG or TMPDIR", () => {
    // vllm/envs.py: VLLM_CACHE_ROOT defaults to $XDG_CACHE_HOME/vllm; torch's Inductor to <tmp>/torchinductor_<user>.
    const writable = writableMounts();
    const defaults = [`${env["XDG_CACHE_HOME"]}/vllm`, `${env["TMPDIR"]}/torchinductor_${env["USER"]}`, `${env["HOME"]}/.triton/cache`];
    for (const path of defaults) expect(writable.some((m) => under(path, m)), path).toBe(true);
  });
});

describe("a long generation through the external route", () => {
  const exposed = { ...docs(), exposure: "ingress" as const };
  const ctx = { ...context(oslo, 1), service: exposed };
  const rules = () => (serverHttpRouteSpec(ctx, oslo.cluster).spec["rules"] as Record<string, unknown>[]);

  it("was cut at Envoy's 15 s default when the route set no timeout (Envoy Gateway v1.9.0)", () => {
    expect(envoyRouteTimeouts({}).timeout).toBe(15);
  });

  it("now lasts the service's request timeout (default 10 minutes) on every rule, with no shorter idle cut", () => {
    expect(rules().length).toBeGreaterThan(0);
    for (const rule of rules()) {
      const envoy = envoyRouteTimeouts(rule);
      expect(envoy.timeout).toBe(600);
      expect(envoy.idleTimeout).toBeGreaterThanOrEqual(envoy.timeout);
    }
  });

  it("follows a configured timeout, and sets no backendRequest that Envoy Gateway would put in its place", () => {
    const long = { ...ctx, service: { ...exposed, requestTimeout: "1h30m" } };
    for (const rule of serverHttpRouteSpec(long, oslo.cluster).spec["rules"] as Record<string, unknown>[]) {
      expect(rule["timeouts"]).toEqual({ request: "1h30m" });
      expect(envoyRouteTimeouts(rule).timeout).toBe(5400);
    }
    // What a shorter backendRequest would do under Envoy Gateway v1.9.0: it replaces the request timeout.
    expect(envoyRouteTimeouts({ timeouts: { request: "1h", backendRequest: "30s" } }).timeout).toBe(30);
  });

  it("gives the Ingress fallback its controller's read and send timeouts in that controller's unit", () => {
    const annotations = (controller: "ingress-nginx" | "nginx" | "other") =>
      serverIngressSpec(ctx, { ...oslo.cluster.ingress, controller }).metadata?.annotations;
    expect(annotations("ingress-nginx")).toMatchObject({
      "nginx.ingress.kubernetes.io/proxy-read-timeout": "600",
      "nginx.ingress.kubernetes.io/proxy-send-timeout": "600",
    });
    expect(annotations("nginx")).toMatchObject({ "nginx.org/proxy-read-timeout": "600s", "nginx.org/proxy-send-timeout": "600s" });
    expect(Object.keys(annotations("other") ?? {})).toEqual(["cert-manager.io/cluster-issuer"]);
  });

  it("refuses a timeout that is not a Gateway API duration, or is zero, naming the key", () => {
    for (const bad of ["10 minutes", "0s", "600", "123456s"]) {
      const raw = osloWith({ "inference[1].requestTimeout": bad });
      const result = parseFactoryConfig(raw);
      expect(result.ok).toBe(false);
      if (!result.ok) expect(result.problems.map((p) => p.path)).toContain("inference[1].requestTimeout");
    }
    expect(parseConfig(osloWith({ "inference[1].requestTimeout": "45m" })).inference[1]!.requestTimeout).toBe("45m");
  });

  it("reads durations as the Gateway API writes them", () => {
    expect(durationSeconds("1h30m")).toBe(5400);
    expect(durationSeconds("90s")).toBe(90);
    expect(durationSeconds("1500ms")).toBe(1.5);
    expect(durationSeconds("1m5s")).toBe(65);
    expect(durationSeconds("1d")).toBeUndefined();
  });
});
