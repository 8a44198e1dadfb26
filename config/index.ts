export * from "./schema";
export * from "./problems";
export * from "./crossChecks";
export * from "./load";
