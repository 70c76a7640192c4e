/**
 * keycloak-js sends every login back to one fixed redirect URI (the app root), so the
 * route the user asked for (react-admin routes live in the URL hash) is remembered
 * before the redirect and restored afterwards.
 */
const KEY = "pbms.returnTo";

type StorageLike = Pick<Storage, "getItem" | "setItem" | "removeItem">;

/** True for a react-admin route hash such as `#/Job/1/show` (not an OAuth callback fragment). */
export function isAppRoute(hash: string): boolean {
  return hash.startsWith("#/") && hash !== "#/";
}

/** Call before keycloak init: remembers the current route unless this load is the login callback. */
export function rememberRoute(hash: string, storage: StorageLike): void {
  if (isAppRoute(hash)) storage.setItem(KEY, hash);
}

/**
 * Call after a successful login: returns the remembered route to navigate to when the
 * browser landed on the app root, and forgets it in any case.
 */
export function takeRememberedRoute(currentHash: string, storage: StorageLike): string | undefined {
  const saved = storage.getItem(KEY);
  storage.removeItem(KEY);
  if (saved === null || !isAppRoute(saved)) return undefined;
  return isAppRoute(currentHash) ? undefined : saved;
}
