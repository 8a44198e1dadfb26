/**
 * The parts of admissionregistration.k8s.io/v1 the factory writes, as plain
 * data (Kubernetes 1.30, where ValidatingAdmissionPolicy is GA).
 */

/** One rule of `matchConstraints.resourceRules`. */
export interface ResourceRule {
  readonly apiGroups: readonly string[];
  readonly apiVersions: readonly string[];
  readonly operations: readonly ("CREATE" | "UPDATE")[];
  readonly resources: readonly string[];
}

/** One entry of `spec.variables`: evaluated lazily, read as `variables.<name>`. */
export interface AdmissionVariable {
  readonly name: string;
  readonly expression: string;
}

/** One entry of `spec.validations`: the object is admitted when `expression` is true. */
export interface AdmissionValidation {
  readonly expression: string;
  /** Shown when the validation fails (and when `messageExpression` fails to evaluate). */
  readonly message: string;
  /** A CEL string expression for a message naming the offending values. */
  readonly messageExpression?: string;
}

/** What one admission policy judges and how: the source of a policy and its binding. */
export interface AdmissionPolicyDefinition {
  /** The policy's name (a DNS subdomain under aifactory.no). */
  readonly name: string;
  /** The pack's policies this one speaks for at the cluster's door. */
  readonly packPolicies: readonly string[];
  readonly resourceRules: readonly ResourceRule[];
  readonly variables: readonly AdmissionVariable[];
  readonly validations: readonly AdmissionValidation[];
}
