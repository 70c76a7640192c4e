import { ApolloLink, Observable, type FetchResult } from "@apollo/client";
import type { AuthSession } from "../auth/session";

function httpStatusOf(error: unknown): number | undefined {
  if (error && typeof error === "object") {
    if ("statusCode" in error && typeof error.statusCode === "number") return error.statusCode;
    if ("status" in error && typeof error.status === "number") return error.status;
  }
  return undefined;
}

function isUnauthenticated(result: FetchResult): boolean {
  return (result.errors ?? []).some((error) => error.extensions?.code === "UNAUTHENTICATED");
}

/**
 * The one link that authenticates GraphQL requests: before each request it asks the
 * session for a token valid for at least 30 s (keycloak.updateToken refreshes it when
 * needed) and sends it as `Authorization: Bearer`; a 401 (or an UNAUTHENTICATED error)
 * from the API sends the browser back to the identity provider.
 */
export function createAuthLink(session: Pick<AuthSession, "getToken" | "relogin">): ApolloLink {
  return new ApolloLink(
    (operation, forward) =>
      new Observable<FetchResult>((observer) => {
        let subscription: { unsubscribe(): void } | undefined;
        let closed = false;
        session.getToken().then(
          (token) => {
            if (closed) return;
            operation.setContext(({ headers = {} }: { headers?: Record<string, string> }) => ({
              headers: { ...headers, authorization: `Bearer ${token}` },
            }));
            subscription = forward(operation).subscribe({
              next: (result) => {
                if (isUnauthenticated(result)) void session.relogin();
                observer.next(result);
              },
              error: (error: unknown) => {
                if (httpStatusOf(error) === 401) void session.relogin();
                observer.error(error);
              },
              complete: () => observer.complete(),
            });
          },
          (error: unknown) => {
            if (!closed) observer.error(error);
          },
        );
        return () => {
          closed = true;
          subscription?.unsubscribe();
        };
      }),
  );
}
