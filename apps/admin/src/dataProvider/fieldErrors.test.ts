import { ApolloError } from "@apollo/client";
import { GraphQLError } from "graphql";
import { HttpError } from "react-admin";
import { describe, expect, it } from "vitest";
import { fieldErrorsOf, submissionErrorsOf, toFieldErrorHttpError } from "./fieldErrors";
import { withFieldErrors } from "./index";

const apolloError = (...errors: { message: string; extensions?: Record<string, unknown> }[]) =>
  new ApolloError({
    graphQLErrors: errors.map((e) => new GraphQLError(e.message, { extensions: e.extensions ?? {} })),
  });

/** What ra-data-graphql throws for a GraphQL error: an HttpError with the ApolloError as body. */
const fromDataProvider = (error: ApolloError) => new HttpError(error.message, 200, error);

describe("fieldErrorsOf", () => {
  it("keys the message by the argument path, which is the form's field path", () => {
    expect(
      fieldErrorsOf([
        {
          message: "National ID has a wrong check digit (Luhn)",
          extensions: { code: "BAD_USER_INPUT", field: "identifiers.0.value" },
        },
      ]),
    ).toEqual({ "identifiers.0.value": "National ID has a wrong check digit (Luhn)" });
  });

  it("keys an error in a new group member's fields by its full path, that of the member row's input", () => {
    expect(
      fieldErrorsOf([
        {
          message: "This identifier belongs to another registrant",
          extensions: { code: "CONFLICT", field: "members.2.individual.identifiers.0.value" },
        },
      ]),
    ).toEqual({
      "members.2.individual.identifiers.0.value": "This identifier belongs to another registrant",
    });
  });

  it("lists every field of a validation error, with all its messages", () => {
    expect(
      fieldErrorsOf([
        {
          message: "birthDate must be a date YYYY-MM-DD",
          extensions: {
            code: "BAD_USER_INPUT",
            field: "birthDate",
            errors: [
              { field: "birthDate", messages: ["birthDate must be a date YYYY-MM-DD"] },
              { field: "phones.1.number", messages: ["too short", "not a number"] },
              { field: "", messages: ["ignored"] },
              "junk",
            ],
          },
        },
      ]),
    ).toEqual({
      birthDate: "birthDate must be a date YYYY-MM-DD",
      "phones.1.number": "too short not a number",
    });
  });

  it("maps conflicts (a taken identifier, a stale version) and ignores errors without a field", () => {
    expect(
      fieldErrorsOf([
        {
          message: "This identifier belongs to another registrant",
          extensions: { code: "CONFLICT", field: "identifiers.2.value" },
        },
        { message: "Your roles do not allow this operation", extensions: { code: "FORBIDDEN" } },
        { message: "In use", extensions: { code: "CONFLICT" } },
        { message: "No code", extensions: { field: "x" } },
      ]),
    ).toEqual({ "identifiers.2.value": "This identifier belongs to another registrant" });
    expect(fieldErrorsOf(undefined)).toEqual({});
  });

  it("strips the `input.` prefix of domain mutations for their forms", () => {
    expect(
      fieldErrorsOf(
        [
          {
            message: "Already a member",
            extensions: { code: "BAD_USER_INPUT", field: "input.individualId" },
          },
        ],
        { stripPrefix: "input" },
      ),
    ).toEqual({ individualId: "Already a member" });
  });
});

describe("toFieldErrorHttpError", () => {
  it("turns the data provider's GraphQL error into react-admin's validation error shape", () => {
    const converted = toFieldErrorHttpError(
      fromDataProvider(
        apolloError({
          message: "National ID has a wrong check digit (Luhn)",
          extensions: { code: "BAD_USER_INPUT", field: "identifiers.0.value" },
        }),
      ),
    );
    expect(converted).toBeInstanceOf(HttpError);
    const error = converted as HttpError;
    expect(error.status).toBe(400);
    expect(error.message).toBe("National ID has a wrong check digit (Luhn)");
    expect(error.body.errors).toEqual({
      "identifiers.0.value": "National ID has a wrong check digit (Luhn)",
      root: { serverError: "National ID has a wrong check digit (Luhn)" },
    });
  });

  it("gives conflicts status 409 (stale version: shown as the form's notification)", () => {
    const error = toFieldErrorHttpError(
      apolloError({
        message: "Someone changed this registrant",
        extensions: { code: "CONFLICT", field: "version" },
      }),
    ) as HttpError;
    expect(error.status).toBe(409);
    expect(error.body.errors).toEqual({
      version: "Someone changed this registrant",
      root: { serverError: "Someone changed this registrant" },
    });
  });

  it("leaves other errors alone", () => {
    const forbidden = fromDataProvider(
      apolloError({ message: "Your roles do not allow this operation", extensions: { code: "FORBIDDEN" } }),
    );
    expect(toFieldErrorHttpError(forbidden)).toBe(forbidden);
    const network = new HttpError("Failed to fetch", 0);
    expect(toFieldErrorHttpError(network)).toBe(network);
    expect(toFieldErrorHttpError("boom")).toBe("boom");
  });

  it("gives forms that call the API themselves their submission errors", () => {
    expect(
      submissionErrorsOf(
        apolloError({
          message: "Already a member",
          extensions: { code: "BAD_USER_INPUT", field: "input.individualId" },
        }),
        { stripPrefix: "input" },
      ),
    ).toEqual({ individualId: "Already a member", root: { serverError: "Already a member" } });
    expect(submissionErrorsOf(new Error("offline"))).toBeUndefined();
  });
});

describe("withFieldErrors", () => {
  it("converts create and update failures and passes the rest through", async () => {
    const failure = fromDataProvider(
      apolloError({
        message: "A person needs a given or a family name",
        extensions: { code: "BAD_USER_INPUT", field: "givenName" },
      }),
    );
    const base = {
      create: async () => Promise.reject(failure),
      update: async () => Promise.reject(failure),
      getOne: async () => ({ data: { id: "1" } }),
    } as unknown as Parameters<typeof withFieldErrors>[0];
    const provider = withFieldErrors(base);
    await expect(provider.create("Registrant", { data: {} })).rejects.toMatchObject({
      status: 400,
      body: { errors: { givenName: "A person needs a given or a family name" } },
    });
    await expect(
      provider.update("Registrant", { id: "1", data: {}, previousData: { id: "1" } }),
    ).rejects.toMatchObject({ body: { errors: { givenName: "A person needs a given or a family name" } } });
    await expect(provider.getOne("Registrant", { id: "1" })).resolves.toEqual({ data: { id: "1" } });
  });
});
