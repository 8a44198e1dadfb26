import { availableParallelism } from "node:os";
import { defineConfig } from "vitest/config";

export default defineConfig({
  test: {
    include: ["test/**/*.test.ts"],
    // Files share a worker process: the Pulumi SDK then loads once per worker
    // rather than once per file (about a second each). The runtime's global
    // state does not leak between files because every program runs through
    // `runProgram`, which installs fresh mocks, config and guard-rail state
    // each time; no test mocks modules or globals. The whole suite passes in
    // one process (`--maxWorkers=1`) and in shuffled order.
    pool: "forks",
    isolate: false,
    // Vitest leaves a core idle by default; the files are independent.
    maxWorkers: availableParallelism(),
    testTimeout: 60_000,
    hookTimeout: 60_000,
  },
});
