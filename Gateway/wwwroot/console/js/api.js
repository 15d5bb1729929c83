// The admin API (/bots…, /me, /audit), the console's own API (/console/…) and /health/ready, all on this origin. The
// session is an HttpOnly cookie that every request carries; the page never holds the key.

/** An answer other than 2xx: its RFC 7807 problem details, with field errors under `errors`. */
export class ApiError extends Error {
  constructor(status, problem) {
    const body = problem && typeof problem === 'object' ? problem : {};
    super(body.title || body.detail || `The server answered ${status}`);
    this.status = status;
    this.problem = body;
    this.errors = body.errors || {};
  }
}

let sessionEnded = () => {};

/** What to do when the server says the session is over (401): main.js shows the sign-in. */
export function onSessionEnded(handler) {
  sessionEnded = handler;
}

/**
 * A JSON request; resolves to the parsed answer (or its text with raw; with etag, to { data, etag }), rejects with an
 * ApiError. headers are sent besides (e.g. If-Match).
 */
export async function request(method, path, body, { raw = false, etag = false, headers = {} } = {}) {
  const init = { method, credentials: 'same-origin', headers: { Accept: 'application/json', ...headers } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(path, init);
  const text = await response.text();
  if (response.status === 401) {
    sessionEnded('Your session has ended. Sign in again.');
    throw new ApiError(401, { title: 'Sign in again' });
  }
  let data = null;
  if (text) {
    try { data = JSON.parse(text); } catch { data = text; }
  }
  if (!response.ok) throw new ApiError(response.status, data);
  if (etag) return { data, etag: response.headers.get('ETag') };
  return raw ? text : data;
}

export const isApiError = (error, ...statuses) => error instanceof ApiError && (statuses.length === 0 || statuses.includes(error.status));

export const botPath = number => '/bots/' + encodeURIComponent(number);
export const userPath = (bot, user) => `${botPath(bot)}/conversations/${encodeURIComponent(user)}`;

/** GET /health/ready, which answers 503 with the same JSON when the cluster is not ready. */
export async function readHealth() {
  const response = await fetch('/health/ready', { credentials: 'same-origin', headers: { Accept: 'application/json' } });
  try {
    return await response.json();
  } catch {
    return { status: `HTTP ${response.status}`, checks: {} };
  }
}
