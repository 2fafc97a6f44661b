/**
 * Human-readable messages for failed API calls. Pure functions: unit-tested in
 * test/api/messages.test.ts.
 */

/** Reason phrases for when neither the body nor the response carries one. */
const REASON_PHRASES: Readonly<Record<number, string>> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

/** Longest response text quoted in a message. */
const MAX_TEXT = 200;

function nonEmptyString(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value.trim() : undefined;
}

function field(body: unknown, name: string): string | undefined {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return undefined;
  return nonEmptyString((body as Record<string, unknown>)[name]);
}

/**
 * Describes a non-2xx response. For Fastify's error body
 * `{"statusCode":400,"error":"Bad Request","message":"params/id must be integer"}`
 * this is "400 Bad Request: params/id must be integer"; a text body is quoted
 * (shortened); an empty or unknown body gives just "404 Not Found".
 */
export function describeHttpError(status: number, body: unknown, statusText = ''): string {
  const reason = field(body, 'error') ?? nonEmptyString(statusText) ?? REASON_PHRASES[status] ?? 'Error';
  const head = `${status} ${reason}`;
  let detail = field(body, 'message');
  if (detail === undefined) {
    const text = nonEmptyString(body)?.replace(/\s+/g, ' ');
    detail = text && text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT - 1)}…` : text;
  }
  return detail === undefined || detail === reason ? head : `${head}: ${detail}`;
}

/** Describes a request that got no response at all (API down, CORS refusal, DNS…). */
export function describeNetworkError(apiUrl: string): string {
  return `Could not reach the API at ${apiUrl}`;
}
