import { en } from "./i18n/en";

/** keycloak-js rejects with Errors, strings or OAuth error objects (`{ error, error_description }`). */
function describe(error: unknown): string | undefined {
  if (error instanceof Error) return error.message;
  if (typeof error === "string") return error;
  if (error && typeof error === "object") {
    const { error: code, error_description: description } = error as Record<string, unknown>;
    return (
      [code, description].filter((part) => typeof part === "string" && part !== "").join(": ") || undefined
    );
  }
  return undefined;
}

/**
 * Shown when signing in cannot even start (identity provider unreachable, client
 * unknown). Rendered outside react-admin, so it reads the English messages directly.
 */
export const BootstrapError = ({ error }: { error: unknown }) => {
  const detail = describe(error);
  return (
    <main
      role="alert"
      style={{ fontFamily: "system-ui, sans-serif", maxWidth: 640, margin: "4rem auto", padding: "0 1rem" }}
    >
      <h1>{en.app.title}</h1>
      <p>{en.app.bootstrap.failed}</p>
      {detail ? <pre style={{ whiteSpace: "pre-wrap" }}>{detail}</pre> : null}
      <button type="button" onClick={() => window.location.reload()}>
        {en.app.bootstrap.retry}
      </button>
    </main>
  );
};
