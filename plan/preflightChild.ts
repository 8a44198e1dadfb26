/**
 * The child side of the guard rails' site check (`preflight.ts`): reads
 * `{stack, config}` on stdin, plans the site under the mock runtime, runs the
 * policy pack, and prints the mandatory violations as JSON on stdout.
 */
import { main } from "../program";
import { evaluatePolicies } from "./policies";
import { ProgramError, runProgram } from "./run";

async function check(): Promise<object> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const { stack, config } = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { stack: string; config: Record<string, string> };
  try {
    const run = await runProgram({ stack, config, program: () => main(), captureStacks: false });
    const found = await evaluatePolicies(run.resources);
    return { violations: found.filter((v) => v.enforcement === "mandatory").map((v) => ({ policy: v.policy, message: v.message })) };
  } catch (err) {
    const cause = err instanceof ProgramError ? err.cause : err;
    return { error: cause instanceof Error ? cause.message : String(cause) };
  }
}

void check().then((result) => {
  process.stdout.write(JSON.stringify(result));
});
