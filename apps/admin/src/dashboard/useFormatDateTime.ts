import { useCallback } from "react";
import { useLocaleState } from "react-admin";

/** Formats an ISO instant in the UI locale (short date and time). */
export function useFormatDateTime(): (iso: string) => string {
  const [locale] = useLocaleState();
  return useCallback(
    (iso: string) => {
      const date = new Date(iso);
      if (Number.isNaN(date.getTime())) return iso;
      return new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }).format(date);
    },
    [locale],
  );
}
