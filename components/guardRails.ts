/** The guard rails live in their own room (`guardRails/`); components install them as they are built. */
export { GuardRailError, resourceViolations, withGuardRails } from "../guardRails";
