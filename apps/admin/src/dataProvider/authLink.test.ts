import { ApolloLink, Observable, execute, gql, type FetchResult } from "@apollo/client";
import { describe, expect, it, vi } from "vitest";
import { createAuthLink } from "./authLink";

const QUERY = gql`
  query Q {
    viewer {
      id
    }
  }
`;

function run(link: ApolloLink): Promise<FetchResult> {
  return new Promise((resolve, reject) => {
    execute(link, { query: QUERY }).subscribe({ next: resolve, error: reject });
  });
}

function session(token = "t1") {
  const order: string[] = [];
  return {
    order,
    getToken: vi.fn(async () => {
      order.push("getToken");
      return token;
    }),
    relogin: vi.fn(async () => undefined),
  };
}

describe("auth link", () => {
  it("gets a fresh token before each request and sends it as a bearer token", async () => {
    const s = session("abc");
    const seen: unknown[] = [];
    const terminating = new ApolloLink((operation) => {
      s.order.push("request");
      seen.push(operation.getContext().headers);
      return Observable.of({ data: { viewer: { id: "1" } } });
    });
    const link = ApolloLink.from([createAuthLink(s), terminating]);
    await run(link);
    await run(link);
    expect(seen).toEqual([{ authorization: "Bearer abc" }, { authorization: "Bearer abc" }]);
    expect(s.order).toEqual(["getToken", "request", "getToken", "request"]);
  });

  it("signs in again when the API answers 401", async () => {
    const s = session();
    const terminating = new ApolloLink(
      () =>
        new Observable((observer) => {
          observer.error(
            Object.assign(new Error("Response not successful: Received status code 401"), {
              statusCode: 401,
            }),
          );
        }),
    );
    await expect(run(ApolloLink.from([createAuthLink(s), terminating]))).rejects.toThrow(/401/);
    expect(s.relogin).toHaveBeenCalledTimes(1);
  });

  it("signs in again on an UNAUTHENTICATED GraphQL error, not on other errors", async () => {
    const s = session();
    const reply = (code: string) =>
      new ApolloLink(() =>
        Observable.of({ errors: [{ message: "no", extensions: { code } }] } as FetchResult),
      );
    await run(ApolloLink.from([createAuthLink(s), reply("FORBIDDEN")]));
    expect(s.relogin).not.toHaveBeenCalled();
    await run(ApolloLink.from([createAuthLink(s), reply("UNAUTHENTICATED")]));
    expect(s.relogin).toHaveBeenCalledTimes(1);
  });

  it("does not send the request when no token can be had", async () => {
    const s = session();
    s.getToken.mockRejectedValueOnce(Object.assign(new Error("expired"), { status: 401 }));
    const terminating = vi.fn(() => Observable.of({ data: {} }));
    await expect(run(ApolloLink.from([createAuthLink(s), new ApolloLink(terminating)]))).rejects.toThrow(
      "expired",
    );
    expect(terminating).not.toHaveBeenCalled();
  });
});
