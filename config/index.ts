export * from "./schema";
export * from "./problems";
export * from "./crossChecks";
export * from "./load";
export * from "./quantity";
export * from "./names";
export * from "./namespaces";
export * from "./flavors";
