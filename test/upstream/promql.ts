/** PromQL checked with Prometheus' own grammar (`@prometheus-io/lezer-promql`). */
import { parser } from "@prometheus-io/lezer-promql";

/** Syntax errors in a PromQL expression, by position; empty when it parses. */
export function promqlProblems(expr: string): string[] {
  const problems: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.type.isError) problems.push(`syntax error at ${node.from}`);
    },
  });
  return problems;
}
