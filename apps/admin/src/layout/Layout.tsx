import { type ReactNode, useEffect } from "react";
import { Layout as RaLayout, useLocaleState } from "react-admin";
import { AppBar } from "./AppBar";
import { Menu } from "./Menu";

/** Keeps `<html lang>` in step with the UI language (screen readers, hyphenation). */
const DocumentLanguage = () => {
  const [locale] = useLocaleState();
  useEffect(() => {
    document.documentElement.lang = locale;
  }, [locale]);
  return null;
};

export const Layout = ({ children }: { children: ReactNode }) => (
  <RaLayout appBar={AppBar} menu={Menu}>
    <DocumentLanguage />
    {children}
  </RaLayout>
);
