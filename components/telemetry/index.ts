export * from "./indicators";
export * from "./rules";
export * from "./energyTelemetry";
export * from "./energyReport";
export * from "./usageRules";
export * from "./attribution";
export * from "./eedRecord";
export * from "./idleShare";
