/**
 * Starting a policy pack the way the Pulumi engine does (@pulumi/pulumi's
 * policy-pack runner, which type-checks it with ts-node) and talking to it
 * over the Analyzer gRPC service.
 */
import { type ChildProcess, spawn } from "node:child_process";
import * as path from "node:path";
import * as grpc from "@grpc/grpc-js";
import { AnalyzerClient } from "@pulumi/pulumi/proto/analyzer_grpc_pb";
import * as analyzer from "@pulumi/pulumi/proto/analyzer_pb";
import { Struct } from "google-protobuf/google/protobuf/struct_pb";
import { ROOT } from "../helpers";

/** A running pack and a client connected to it. */
export interface RunningPack {
  readonly client: AnalyzerClient;
  stop(): void;
}

/** Starts the pack in `dir` like the CLI does, and connects to the port it prints. */
export function startPack(dir: string): Promise<RunningPack> {
  const proc: ChildProcess = spawn(
    process.execPath,
    [path.join(ROOT, "node_modules/@pulumi/pulumi/cmd/run-policy-pack"), "127.0.0.1:1", "."],
    { cwd: dir, stdio: ["ignore", "pipe", "pipe"] },
  );
  let stderr = "";
  proc.stderr?.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve, reject) => {
    proc.stdout?.once("data", (d: Buffer) => {
      const client = new AnalyzerClient(`127.0.0.1:${Number(d.toString().trim())}`, grpc.credentials.createInsecure());
      resolve({
        client,
        stop: () => {
          client.close();
          proc.kill();
        },
      });
    });
    proc.once("exit", (code) => {
      reject(new Error(`policy pack exited with ${String(code)}: ${stderr}`));
    });
  });
}

type Done<Res> = (err: grpc.ServiceError | null, res: Res) => void;

/** One unary call, as a promise. */
export function rpc<Res>(invoke: (done: Done<Res>) => unknown): Promise<Res> {
  return new Promise((resolve, reject) => {
    invoke((err, res) => {
      if (err) reject(err);
      else resolve(res);
    });
  });
}

/** A ConfigMap in the factory's system namespace. */
export function configMap(name: string, labels: Record<string, string>, data: Record<string, string> = {}) {
  return { apiVersion: "v1", kind: "ConfigMap", metadata: { name, namespace: "aifactory-system", labels }, data };
}

/** An Analyze request for one ConfigMap. */
export function analyzeRequest(name: string, props: Record<string, unknown>): analyzer.AnalyzeRequest {
  const req = new analyzer.AnalyzeRequest();
  req.setType("kubernetes:core/v1:ConfigMap").setName(name).setUrn(`urn:pulumi:test::p::kubernetes:core/v1:ConfigMap::${name}`);
  req.setProperties(Struct.fromJavaScript(props as Parameters<typeof Struct.fromJavaScript>[0]));
  req.setOptions(new analyzer.AnalyzerResourceOptions());
  return req;
}
