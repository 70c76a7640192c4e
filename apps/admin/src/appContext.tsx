import { createContext, useContext, type ReactNode } from "react";
import type { AuthSession } from "./auth/session";
import type { AppConfig } from "./config";

export interface AppRuntime {
  config: AppConfig;
  session: AuthSession;
}

const AppRuntimeContext = createContext<AppRuntime | undefined>(undefined);

export const AppRuntimeProvider = ({ value, children }: { value: AppRuntime; children: ReactNode }) => (
  <AppRuntimeContext.Provider value={value}>{children}</AppRuntimeContext.Provider>
);

/** Runtime configuration and the signed-in session (set up before the app renders). */
export function useAppRuntime(): AppRuntime {
  const runtime = useContext(AppRuntimeContext);
  if (!runtime) throw new Error("useAppRuntime must be used inside <AppRuntimeProvider>");
  return runtime;
}
