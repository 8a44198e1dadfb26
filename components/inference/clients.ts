/**
 * Who may call an inference service: one key per client application, or one
 * key for the whole service when it names no clients (the key services had
 * before clients existed, under the same resource name, so it is not
 * replaced). A key is a generation of a client: bumping `keyGeneration`
 * makes a new key, `keepPreviousKey` keeps the one before it valid until the
 * next `up` without it, and removing a client (or its `expires` passing)
 * drops its key from the proxy and deletes it. Pure.
 */
import type { InferenceConfig } from "../../config";

/** The client name of a service's single key, when it names no clients. */
export const SERVICE_CLIENT = "service";

/** One key the proxy accepts. */
export interface KeySlot {
  /** The client the key identifies (`service` for a service's single key). */
  readonly client: string;
  /** Which generation of the client's keys. */
  readonly generation: number;
  /** Role of the key's resources under the service (`api-key`, `client-<name>`, `client-<name>-g<n>`). */
  readonly role: string;
  /** Whether this is the client's current key (exported), not the previous one kept for a rotation. */
  readonly current: boolean;
}

function clientRole(client: string, generation: number): string {
  return generation === 1 ? `client-${client}` : `client-${client}-g${generation}`;
}

/** Whether a client's key has expired on `today` (`YYYY-MM-DD`, UTC): the day after `expires`. */
export function expired(expires: string | undefined, today: string): boolean {
  return expires !== undefined && today > expires;
}

/** The keys a service's proxy accepts on `today`. */
export function keySlots(service: Pick<InferenceConfig, "clients">, today: string): KeySlot[] {
  if (service.clients.length === 0) return [{ client: SERVICE_CLIENT, generation: 1, role: "api-key", current: true }];
  return service.clients
    .filter((c) => !expired(c.expires, today))
    .flatMap((c) => {
      const current = { client: c.name, generation: c.keyGeneration, role: clientRole(c.name, c.keyGeneration), current: true };
      if (!c.keepPreviousKey || c.keyGeneration === 1) return [current];
      const previous = c.keyGeneration - 1;
      return [current, { client: c.name, generation: previous, role: clientRole(c.name, previous), current: false }];
    });
}

/** Today as `YYYY-MM-DD` in UTC, the form `expires` is compared in. */
export function utcDay(now: Date): string {
  return now.toISOString().slice(0, 10);
}
