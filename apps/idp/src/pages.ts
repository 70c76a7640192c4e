// Plain, accessible HTML pages of the local identity provider. Element ids
// follow Keycloak's login theme (kc-login, username, password) so browser
// tests written against Keycloak also work here.

const ENTITIES: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&#39;",
};

export const escapeHtml = (value: string): string => value.replace(/[&<>"']/g, (c) => ENTITIES[c] ?? c);

const STYLE = `body{font-family:system-ui,sans-serif;background:#f4f5f7;margin:0;color:#1d1d1f}
main{max-width:24rem;margin:4rem auto;background:#fff;padding:2rem;border-radius:8px;box-shadow:0 1px 3px #0003}
h1{font-size:1.5rem;margin-top:0}label{display:block;margin-top:1rem;font-weight:600}
input{width:100%;box-sizing:border-box;padding:.5rem;margin-top:.25rem;font-size:1rem}
button{margin-top:1.5rem;width:100%;padding:.6rem;font-size:1rem;background:#0b5cad;color:#fff;border:0;border-radius:4px;cursor:pointer}
.error{background:#fdecea;color:#8a1c12;padding:.75rem;border-radius:4px}
.note{margin-top:1.5rem;font-size:.85rem;color:#555}`;

function page(title: string, body: string, script = ""): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>${script ? `\n<script>${script}</script>` : ""}
</head>
<body>
<main>
${body}
</main>
</body>
</html>`;
}

export const INVALID_CREDENTIALS = "Invalid username or password.";

export function loginPage(options: { action: string; username?: string; error?: string }): string {
  const error = options.error
    ? `<p class="error" id="input-error" role="alert">${escapeHtml(options.error)}</p>`
    : "";
  const describedBy = options.error ? ' aria-invalid="true" aria-describedby="input-error"' : "";
  return page(
    "PBMS — Sign in",
    `<h1>Sign in to PBMS</h1>
${error}
<form id="kc-form-login" method="post" action="${escapeHtml(options.action)}">
<label for="username">Username or email</label>
<input id="username" name="username" type="text" autocomplete="username" autofocus required value="${escapeHtml(options.username ?? "")}"${describedBy}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${describedBy}>
<button id="kc-login" type="submit">Sign in</button>
</form>
<p class="note">This is the local development identity provider of PBMS (realm pbms). It is for development and tests only; production uses Keycloak. Demo users are named after their role (admin, registrar, program-manager, approver, finance, auditor, viewer, other-admin), password <code>demo</code>.</p>`,
  );
}

/** Logout confirmation that submits itself, so the RP-initiated logout needs no extra click. */
export function logoutPage(form: string): string {
  // The library's form has id op.logoutForm and an xsrf field; logout=yes ends the whole session.
  const autoSubmit = form.replace("</form>", '<input type="hidden" name="logout" value="yes"></form>');
  return page(
    "PBMS — Signing out",
    `<h1>Signing out…</h1>
${autoSubmit}
<noscript><button type="submit" form="op.logoutForm">Sign out</button></noscript>`,
    "document.addEventListener('DOMContentLoaded', function () { document.forms[0].submit(); });",
  );
}

export function messagePage(title: string, message: string, status?: string): string {
  const detail = status ? `<p class="note">${escapeHtml(status)}</p>` : "";
  return page(`PBMS — ${title}`, `<h1>${escapeHtml(title)}</h1>\n<p>${escapeHtml(message)}</p>${detail}`);
}

/** Keycloak's 3rd-party-cookie probe; answering "unsupported" makes keycloak-js skip its session iframe. */
export const THIRD_PARTY_COOKIES_PAGE = `<!DOCTYPE html><html><head><meta charset="utf-8"><title>3p-cookies</title><script>parent.postMessage("unsupported", "*");</script></head><body></body></html>`;
