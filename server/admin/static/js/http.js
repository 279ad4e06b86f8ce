// JSON calls to /admin/api, carrying the page's CSRF token.

const csrfToken = () => document.querySelector('meta[name="csrf-token"]').content;

/** POST a JSON body; resolves {ok, status, data} whatever the status, rejects only when offline. */
export async function postJSON(url, body) {
  const response = await fetch(url, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRF-Token": csrfToken() },
    body: JSON.stringify(body),
  });
  let data = null;
  try {
    data = await response.json();
  } catch {
    data = null;
  }
  return { ok: response.ok, status: response.status, data };
}

export function errorMessage(result) {
  return result.data?.error?.message || `The server answered ${result.status}.`;
}
