import { StrictMode } from "react";
import { createRoot } from "react-dom/client";
import { App } from "./App";
import { signIn } from "./auth/keycloak";
import { BootstrapError } from "./BootstrapError";
import { loadConfig } from "./config";
import { createApolloClient } from "./dataProvider/apolloClient";
import { RECORD_SIGN_IN } from "./dataProvider/operations";

const container = document.getElementById("root");
if (!container) throw new Error("index.html has no #root element");
const root = createRoot(container);

/**
 * Start-up: runtime config → sign in at the identity provider (nothing renders while
 * signed out) → record the sign-in once per page load → render react-admin.
 */
async function bootstrap(): Promise<void> {
  const config = await loadConfig();
  let session;
  try {
    session = await signIn(config);
  } catch (error) {
    root.render(<BootstrapError error={error} />);
    return;
  }
  const client = createApolloClient(config.apiUrl, session);

  // Audit log + user directory entry for this sign-in. Not awaited: a failure must not
  // keep the user out; the API logs it.
  client.mutate({ mutation: RECORD_SIGN_IN }).catch(() => undefined);

  root.render(
    <StrictMode>
      <App config={config} session={session} client={client} />
    </StrictMode>,
  );
}

void bootstrap();
