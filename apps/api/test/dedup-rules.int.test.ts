// The SAME_FINANCIAL_ADDRESS rule end to end: registrants sharing a bank account
// or a mobile wallet (entered with different spacing and case) become one set,
// never across departments, and a set marked not-duplicate stays decided.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "./harness.ts";

let h: Harness;
let registrar: string;
let otherAdmin: string;

/** One bank account, written two ways; the product stores both as iban:GB82WEST12345698765432@WESTGB2L. */
const SHARED_IBAN = { spaced: "GB82 WEST 1234 5698 7654 32", compact: "gb82west12345698765432" };
const SHARED_FA = "iban:GB82WEST12345698765432@WESTGB2L";
/** One mobile wallet, written two ways; stored as mobile:+254733100200@mpesa. */
const SHARED_WALLET = { spaced: "+254 733 100 200", compact: "+254733100200" };
const WALLET_FA = "mobile:+254733100200@mpesa";
/** An account held in demo by one registrant and in department other by another. */
const CROSS_IBAN = "NL91 ABNA 0417 1643 00";

let demo: {
  grace: string;
  peter: string;
  halima: string;
  daniel: string;
  ruth: string;
  lone: string;
};
let other: { first: string; second: string; lone: string };

const CREATE = `mutation ($givenName: String, $familyName: String, $birthDate: String, $financialAddresses: [FinancialAddressInput!]) {
  createRegistrant(kind: INDIVIDUAL, givenName: $givenName, familyName: $familyName, birthDate: $birthDate,
    financialAddresses: $financialAddresses) { id }
}`;

async function create(token: string, variables: Record<string, unknown>): Promise<string> {
  const res = await h.gql<{ createRegistrant: { id: string } }>(CREATE, variables, token);
  expect(res.errors).toBeUndefined();
  return res.data!.createRegistrant.id;
}

const bank = (iban: string, bic?: string) => [{ kind: "BANK_ACCOUNT", iban, bic }];
const wallet = (msisdn: string, walletProvider: string) => [
  { kind: "MOBILE_WALLET", msisdn, walletProvider },
];

interface RunResult {
  state: string;
  result: { setsFound: Record<string, number> };
}

/** Starts a run with `token`, lets the worker finish it, and returns the job. */
async function runAndDrain(token: string): Promise<RunResult> {
  const started = await h.gql<{ runDeduplication: { id: string } }>(
    "mutation { runDeduplication { id } }",
    {},
    token,
  );
  expect(started.errors).toBeUndefined();
  await h.worker.drain();
  const job = await h.gql<{ job: RunResult }>(
    "query ($id: ID!) { job(id: $id) { state result } }",
    { id: started.data!.runDeduplication.id },
    token,
  );
  return job.data!.job;
}

interface SetView {
  id: string;
  rule: string;
  score: number;
  status: string;
  registrantIds: string[];
  members: { id: string; financialAddresses: { fa: string }[] }[];
}

async function setsOf(token: string, filter: Record<string, unknown> = {}): Promise<SetView[]> {
  const res = await h.gql<{ duplicateSets: SetView[] }>(
    `query ($f: DuplicateSetFilter) {
       duplicateSets(filter: $f, perPage: 100) { id rule score status registrantIds members { id financialAddresses { fa } } }
     }`,
    { f: filter },
    token,
  );
  expect(res.errors).toBeUndefined();
  return res.data!.duplicateSets;
}

/** The members of each set, sorted, for comparing sets regardless of order. */
const memberSets = (sets: SetView[]) => sets.map((s) => [...s.registrantIds].sort()).sort();
const pair = (a: string, b: string) => [a, b].sort();

beforeAll(async () => {
  h = await startHarness();
  [registrar, otherAdmin] = await Promise.all([h.userToken("registrar"), h.userToken("other-admin")]);
  // Dissimilar names and birth dates, so only the account can relate them.
  demo = {
    grace: await create(registrar, {
      givenName: "Grace",
      familyName: "Njeri",
      birthDate: "1988-02-14",
      financialAddresses: bank(SHARED_IBAN.spaced, "westgb2l"),
    }),
    // The same account without its BIC: an IBAN names the account on its own.
    peter: await create(registrar, {
      givenName: "Peter",
      familyName: "Kamau",
      birthDate: "1979-09-30",
      financialAddresses: bank(SHARED_IBAN.compact),
    }),
    halima: await create(registrar, {
      givenName: "Halima",
      familyName: "Said",
      birthDate: "1995-04-04",
      financialAddresses: wallet(SHARED_WALLET.spaced, "MPESA"),
    }),
    daniel: await create(registrar, {
      givenName: "Daniel",
      familyName: "Kiprop",
      birthDate: "2001-12-12",
      financialAddresses: wallet(SHARED_WALLET.compact, "mpesa"),
    }),
    // Another account at the same bank: no one shares it.
    ruth: await create(registrar, {
      givenName: "Ruth",
      familyName: "Auma",
      birthDate: "1966-06-06",
      financialAddresses: bank("GB33 BUKB 2020 1555 5555 55"),
    }),
    lone: await create(registrar, {
      givenName: "Omar",
      familyName: "Farah",
      birthDate: "1991-11-01",
      financialAddresses: bank(CROSS_IBAN),
    }),
  };
  other = {
    // Department other has its own pair on demo's shared account…
    first: await create(otherAdmin, {
      givenName: "Lucy",
      familyName: "Wambui",
      birthDate: "1983-03-21",
      financialAddresses: bank(SHARED_IBAN.compact, "WESTGB2L"),
    }),
    second: await create(otherAdmin, {
      givenName: "Samuel",
      familyName: "Odhiambo",
      birthDate: "1972-08-08",
      financialAddresses: bank(SHARED_IBAN.spaced, "WESTGB2L"),
    }),
    // …and shares demo's lone account with no one of its own.
    lone: await create(otherAdmin, {
      givenName: "Zawadi",
      familyName: "Mohamed",
      birthDate: "1999-01-19",
      financialAddresses: bank(CROSS_IBAN.toLowerCase()),
    }),
  };
});
afterAll(() => h?.close());

describe("registrants sharing a bank account or a mobile wallet", () => {
  it("become one set each, however the account was written, scored 1", async () => {
    const job = await runAndDrain(registrar);
    expect(job.state).toBe("SUCCEEDED");
    expect(job.result.setsFound).toEqual({
      SAME_IDENTIFIER: 0,
      SAME_PHONE: 0,
      SAME_FINANCIAL_ADDRESS: 2,
      SIMILAR_NAME_BIRTH_DATE: 0,
    });

    const sets = await setsOf(registrar);
    expect(memberSets(sets)).toEqual([pair(demo.grace, demo.peter), pair(demo.halima, demo.daniel)].sort());
    for (const set of sets)
      expect(set).toMatchObject({ rule: "SAME_FINANCIAL_ADDRESS", score: 1, status: "OPEN" });

    // The members hold the account in one normalised form (the rule compares the IBAN alone).
    const byAccount = sets.find((s) => s.registrantIds.includes(demo.grace))!;
    expect(byAccount.members.flatMap((m) => m.financialAddresses.map((a) => a.fa)).sort()).toEqual(
      [SHARED_FA, SHARED_FA.replace(/@.*$/, "")].sort(),
    );
    const byWallet = sets.find((s) => s.registrantIds.includes(demo.halima))!;
    expect(byWallet.members.map((m) => m.financialAddresses.map((a) => a.fa))).toEqual([
      [WALLET_FA],
      [WALLET_FA],
    ]);

    expect(await setsOf(registrar, { registrantId: demo.ruth })).toEqual([]);
    expect(await setsOf(registrar, { registrantId: demo.lone })).toEqual([]);
  });

  it("are never put in one set across departments", async () => {
    const job = await runAndDrain(otherAdmin);
    expect(job.state).toBe("SUCCEEDED");
    expect(job.result.setsFound.SAME_FINANCIAL_ADDRESS).toBe(1);
    const theirs = await setsOf(otherAdmin);
    expect(memberSets(theirs)).toEqual([pair(other.first, other.second)]);
    expect(theirs[0]).toMatchObject({ rule: "SAME_FINANCIAL_ADDRESS", score: 1 });

    // A later run in demo still pairs demo's account holders only with each other.
    const again = await runAndDrain(registrar);
    expect(again.result.setsFound.SAME_FINANCIAL_ADDRESS).toBe(0);
    expect(memberSets(await setsOf(registrar))).toEqual(
      [pair(demo.grace, demo.peter), pair(demo.halima, demo.daniel)].sort(),
    );

    // Seen by the table owner (no row-level security): no set mixes departments, and the
    // account held once in each department is in no set at all.
    const mixed = await h.sql(
      `SELECT m.set_id FROM duplicate_set_member m JOIN registrant r ON r.id = m.registrant_id
        GROUP BY m.set_id HAVING count(DISTINCT r.tenant_id) > 1`,
    );
    expect(mixed).toEqual([]);
    const [lone] = await h.sql<{ n: number }>(
      "SELECT count(*)::int AS n FROM duplicate_set_member WHERE registrant_id = ANY($1::uuid[])",
      [[demo.lone, other.lone]],
    );
    expect(lone!.n).toBe(0);
  });
});

describe("a set marked not a duplicate", () => {
  it("is not proposed again by later runs, even after the account is entered anew", async () => {
    const [walletSet] = await setsOf(registrar, { registrantId: demo.halima, status: "OPEN" });
    expect(walletSet).toBeDefined();
    const marked = await h.gql<{ markNotDuplicate: { status: string } }>(
      "mutation ($id: ID!) { markNotDuplicate(input: { setId: $id }) { status } }",
      { id: walletSet!.id },
      registrar,
    );
    expect(marked.errors).toBeUndefined();
    expect(marked.data!.markNotDuplicate.status).toBe("NOT_DUPLICATE");
    expect(memberSets(await setsOf(registrar, { status: "OPEN" }))).toEqual([pair(demo.grace, demo.peter)]);

    const job = await runAndDrain(registrar);
    expect(job.result.setsFound).toEqual({
      SAME_IDENTIFIER: 0,
      SAME_PHONE: 0,
      SAME_FINANCIAL_ADDRESS: 0,
      SIMILAR_NAME_BIRTH_DATE: 0,
    });
    expect(memberSets(await setsOf(registrar, { status: "OPEN" }))).toEqual([pair(demo.grace, demo.peter)]);

    // Daniel's wallet is replaced by the same wallet written another way (a new row).
    const read = await h.gql<{ registrant: { version: number } }>(
      "query ($id: ID!) { registrant(id: $id) { version } }",
      { id: demo.daniel },
      registrar,
    );
    const updated = await h.gql<{ updateRegistrant: { financialAddresses: { fa: string }[] } }>(
      `mutation ($id: ID!, $version: Int, $fa: [FinancialAddressInput!]) {
         updateRegistrant(id: $id, version: $version, financialAddresses: $fa) { financialAddresses { fa } }
       }`,
      { id: demo.daniel, version: read.data!.registrant.version, fa: wallet("+254-733-100-200", "MPesa") },
      registrar,
    );
    expect(updated.errors).toBeUndefined();
    expect(updated.data!.updateRegistrant.financialAddresses).toEqual([{ fa: WALLET_FA }]);

    const later = await runAndDrain(registrar);
    expect(later.result.setsFound.SAME_FINANCIAL_ADDRESS).toBe(0);
    const daniels = await setsOf(registrar, { registrantId: demo.daniel });
    expect(daniels.map((s) => ({ id: s.id, status: s.status }))).toEqual([
      { id: walletSet!.id, status: "NOT_DUPLICATE" },
    ]);
    expect(memberSets(await setsOf(registrar, { status: "OPEN" }))).toEqual([pair(demo.grace, demo.peter)]);
  });
});
