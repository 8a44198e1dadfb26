// Entry point the Pulumi CLI loads for `--policy-pack policies`.
import { PolicyPack } from "@pulumi/policy";
import { policies } from "./policies";

new PolicyPack("sovereign-ai-factory", { policies });
