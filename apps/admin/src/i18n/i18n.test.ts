import { describe, expect, it } from "vitest";
import { en } from "./en";
import { fr } from "./fr";
import englishMessages from "./en";
import { getMessages } from "./index";

/** Every leaf path of a message tree: `app.dashboard.title`, … */
function leafKeys(tree: object, prefix = ""): string[] {
  return Object.entries(tree).flatMap(([key, value]) =>
    value !== null && typeof value === "object"
      ? leafKeys(value as object, `${prefix}${key}.`)
      : [`${prefix}${key}`],
  );
}

function lookup(tree: object, path: string): unknown {
  return path
    .split(".")
    .reduce<unknown>((node, part) => (node as Record<string, unknown> | undefined)?.[part], tree);
}

const placeholders = (text: string) => [...text.matchAll(/%\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("messages", () => {
  it("fr has exactly the keys of en (and vice versa)", () => {
    const enKeys = leafKeys(en).sort();
    const frKeys = leafKeys(fr).sort();
    expect(
      enKeys.filter((key) => !frKeys.includes(key)),
      "missing in fr",
    ).toEqual([]);
    expect(
      frKeys.filter((key) => !enKeys.includes(key)),
      "missing in en",
    ).toEqual([]);
    expect(enKeys.length).toBeGreaterThan(50);
  });

  it("every message is a non-empty string with the same placeholders and plural forms in both locales", () => {
    for (const key of leafKeys(en)) {
      const english = lookup(en, key);
      const french = lookup(fr, key);
      expect(typeof english, key).toBe("string");
      expect(typeof french, key).toBe("string");
      expect((french as string).trim(), key).not.toBe("");
      expect(placeholders(french as string), key).toEqual(placeholders(english as string));
      expect((french as string).includes("||||"), key).toBe((english as string).includes("||||"));
    }
  });

  it("keeps react-admin's own messages next to the app's", async () => {
    expect(lookup(englishMessages, "ra.action.save")).toBe("Save");
    const french = await getMessages("fr");
    expect(lookup(french, "ra.action.save")).toBe("Enregistrer");
    expect(lookup(french, "app.dashboard.title")).toBe("Tableau de bord");
    expect(getMessages("en")).toBe(englishMessages);
  });

  it("defines every app.* key the components use", () => {
    const sources = import.meta.glob(["../**/*.{ts,tsx}", "!../**/*.test.ts", "!../i18n/**"], {
      query: "?raw",
      import: "default",
      eager: true,
    }) as Record<string, string>;
    const used = new Set<string>();
    for (const text of Object.values(sources)) {
      for (const match of text.matchAll(/["'`](app\.[A-Za-z0-9_.]+)(\$\{)?/g)) {
        // Template literals (`app.job.state.${state}`) are checked through their prefix.
        used.add(match[2] ? `${match[1]}*` : (match[1] as string));
      }
    }
    expect(Object.keys(sources).length).toBeGreaterThan(10);
    expect(used.size).toBeGreaterThan(10);
    const defined = leafKeys(en);
    const missing = [...used].filter((key) =>
      key.endsWith("*")
        ? !defined.some((candidate) => candidate.startsWith(key.slice(0, -1)))
        : !defined.includes(key),
    );
    expect(missing).toEqual([]);
  });
});
