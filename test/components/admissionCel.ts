/**
 * Runs an admission policy's CEL as the API server would, with a CEL
 * evaluator from npm (@bufbuild/cel with the strings extension, which
 * Kubernetes also enables): variables first, then every validation; a
 * validation that cannot be evaluated refuses (failurePolicy Fail).
 */
import { CelScalar, celEnv, celMethod, isCelError, parse, plan } from "@bufbuild/cel";
import { strings } from "@bufbuild/cel/ext";
// The RE2 engine @bufbuild/cel itself uses (pinned with it); compiled once per pattern here, as the API server compiles once per policy.
import { RE2JS } from "@bufbuild/re2";
import type { AdmissionPolicyDefinition } from "../../components/admission";

const compiled = new Map<string, RE2JS>();
const matches = celMethod("matches", CelScalar.STRING, [CelScalar.STRING], CelScalar.BOOL, function (this: string, pattern: string) {
  let re = compiled.get(pattern);
  if (re === undefined) {
    re = RE2JS.compile(pattern);
    compiled.set(pattern, re);
  }
  return re.test(this);
});

const env = celEnv({ funcs: [...strings, matches] });
const programs = new Map<string, ReturnType<typeof plan>>();

/** Evaluates one CEL expression (planned once). */
export function evaluate(expression: string, bindings: Record<string, unknown>): unknown {
  let program = programs.get(expression);
  if (program === undefined) {
    program = plan(env, parse(expression));
    programs.set(expression, program);
  }
  return program(bindings as never);
}

/** What the policy decides for one object: the messages of the validations it fails (none: admitted). */
export function admit(def: AdmissionPolicyDefinition, object: Record<string, unknown>, namespaceObject: Record<string, unknown> | null = null): string[] {
  const variables: Record<string, unknown> = {};
  const bindings = () => ({ object, oldObject: null, namespaceObject, variables });
  for (const v of def.variables) {
    const value = evaluate(v.expression, bindings());
    if (isCelError(value)) return [`variable ${v.name} cannot be evaluated: ${value.message}`];
    variables[v.name] = value;
  }
  const refused: string[] = [];
  for (const v of def.validations) {
    const ok = evaluate(v.expression, bindings());
    if (isCelError(ok)) refused.push(`${v.message} (error: ${ok.message})`);
    else if (ok !== true) refused.push(v.message);
  }
  return refused;
}
