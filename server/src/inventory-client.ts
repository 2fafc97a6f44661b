/**
 * The API's calls to the inventory service. fetch() is Node's undici, traced by
 * the undici instrumentation (tracing.ts): a CLIENT span per call and the
 * traceparent header that puts the inventory's spans in the same trace.
 *
 * Every way the call can fail becomes an InventoryError with the status the
 * API answers and a sentence naming the problem; the API itself stays up.
 */
import {
  checked,
  ContractError,
  ErrorSchema,
  ReceivedPropagationSchema,
  StockSchema,
  type ReceivedPropagation,
  type Stock,
} from '@tracing-demo/contracts';
import { Check } from 'typebox/schema';

export interface InventoryClientOptions {
  url: string;
  /** The API gives up on the inventory after this long: a 504. */
  timeoutMs: number;
}

export interface StockRequest {
  id: number;
  /** Forwarded as delay_ms: the "slow downstream" scenario. */
  delayMs?: number;
  /** Forwarded as fail=true: the "inventory failure" scenario. */
  fail?: boolean;
}

/** The inventory could not give an answer: 502 (it failed), 503 (unreachable) or 504 (too slow). */
export class InventoryError extends Error {
  override name = 'InventoryError';
  readonly statusCode: 502 | 503 | 504;

  constructor(statusCode: 502 | 503 | 504, message: string) {
    super(message);
    this.statusCode = statusCode;
  }
}

/** The message of the inventory's error body (the contract's ErrorSchema), or the status text. */
async function errorMessage(response: Response): Promise<string> {
  try {
    const body: unknown = await response.json();
    if (Check(ErrorSchema, body)) return body.message;
  } catch {
    // Not JSON: the status says enough.
  }
  return response.statusText || 'no message';
}

/** The item's stock, or undefined when the inventory has no such item (its 404). */
export async function fetchStock(
  { url: baseUrl, timeoutMs }: InventoryClientOptions,
  { id, delayMs, fail }: StockRequest,
): Promise<Stock | undefined> {
  const url = new URL(`/stock/${id}`, baseUrl);
  if (delayMs !== undefined && delayMs > 0) url.searchParams.set('delay_ms', String(delayMs));
  if (fail) url.searchParams.set('fail', 'true');

  let response: Response;
  try {
    response = await fetch(url, {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new InventoryError(504, `inventory did not answer within ${timeoutMs} ms`);
    }
    // Connection refused, reset, DNS: no retries, the user learns at once.
    throw new InventoryError(503, `inventory is unreachable at ${baseUrl}`);
  }
  if (response.status === 404) {
    await response.body?.cancel();
    return undefined;
  }
  if (!response.ok) {
    throw new InventoryError(502, `inventory answered ${response.status}: ${await errorMessage(response)}`);
  }
  let body: unknown;
  try {
    body = await response.json();
  } catch (error) {
    if (error instanceof DOMException && error.name === 'TimeoutError') {
      throw new InventoryError(504, `inventory did not answer within ${timeoutMs} ms`);
    }
    throw new InventoryError(502, 'inventory answered with a body that is not JSON');
  }
  try {
    return checked(StockSchema, body, 'The stock record');
  } catch (error) {
    if (!(error instanceof ContractError)) throw error;
    throw new InventoryError(
      502,
      `inventory answered with a body that is not a stock record: ${error.problem}`,
    );
  }
}

/**
 * The propagation headers the inventory received from this call (its
 * `GET /propagation`), or null when it gave no readable answer in time: the
 * API's own `GET /propagation` answers either way.
 */
export async function fetchReceivedPropagation({
  url: baseUrl,
  timeoutMs,
}: InventoryClientOptions): Promise<ReceivedPropagation | null> {
  try {
    const response = await fetch(new URL('/propagation', baseUrl), {
      signal: AbortSignal.timeout(timeoutMs),
      headers: { accept: 'application/json' },
    });
    if (!response.ok) {
      await response.body?.cancel();
      return null;
    }
    return checked(ReceivedPropagationSchema, await response.json(), "The inventory's propagation");
  } catch {
    return null;
  }
}
