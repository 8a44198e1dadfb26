export * from "./judge";
export * from "./resourceCheck";
export * from "./siteCheck";
export * from "./assets";
