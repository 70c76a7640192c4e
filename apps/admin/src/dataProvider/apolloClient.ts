import { ApolloClient, HttpLink, InMemoryCache, from } from "@apollo/client";
import type { AuthSession } from "../auth/session";
import { createAuthLink } from "./authLink";

export function createApolloClient(apiUrl: string, session: AuthSession): ApolloClient<unknown> {
  return new ApolloClient({
    link: from([createAuthLink(session), new HttpLink({ uri: apiUrl })]),
    cache: new InMemoryCache(),
  });
}
