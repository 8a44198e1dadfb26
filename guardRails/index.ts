export * from "./judge";
export * from "./known";
export * from "./resourceCheck";
export * from "./siteCheck";
export * from "./assets";
