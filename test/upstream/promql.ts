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

/** The metric names an expression selects (the name of every vector or range selector). */
export function metricNames(expr: string): string[] {
  const names = new Set<string>();
  const stack: string[] = [];
  parser.parse(expr).iterate({
    enter: (node) => {
      if (node.name === "Identifier" && stack[stack.length - 1] === "VectorSelector") names.add(expr.slice(node.from, node.to));
      stack.push(node.name);
    },
    leave: () => {
      stack.pop();
    },
  });
  return [...names];
}
