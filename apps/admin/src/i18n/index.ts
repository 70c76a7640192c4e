import polyglotI18nProvider from "ra-i18n-polyglot";
import type { I18nProvider, TranslationMessages } from "react-admin";
import englishMessages from "./en";

export type Locale = "en" | "fr";

/** Language names are endonyms, shown as-is in every locale. */
export const availableLocales: { locale: Locale; name: string }[] = [
  { locale: "en", name: "English" },
  { locale: "fr", name: "Français" },
];

/** English is bundled; other locales are loaded on demand (separate chunks). */
export function getMessages(locale: string): TranslationMessages | Promise<TranslationMessages> {
  if (locale === "fr") return import("./fr").then((module) => module.default);
  return englishMessages;
}

export function createI18nProvider(): I18nProvider {
  return polyglotI18nProvider(getMessages, "en", availableLocales);
}
