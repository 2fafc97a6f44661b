import { describe, expect, it } from 'vitest';
import { describeHttpError, describeNetworkError } from '../../src/api/messages';

describe('describeHttpError', () => {
  it("formats Fastify's validation error body", () => {
    const body = {
      statusCode: 400,
      code: 'FST_ERR_VALIDATION',
      error: 'Bad Request',
      message: 'params/id must be integer',
    };
    expect(describeHttpError(400, body, 'Bad Request')).toBe('400 Bad Request: params/id must be integer');
  });

  it('falls back to the status text, then to a known reason phrase', () => {
    expect(describeHttpError(404, { message: 'Route GET:/nope not found' }, 'Not Found')).toBe(
      '404 Not Found: Route GET:/nope not found',
    );
    // HTTP/2 responses have an empty statusText.
    expect(describeHttpError(404, { message: 'gone' }, '')).toBe('404 Not Found: gone');
    expect(describeHttpError(418, {}, '')).toBe('418 Error');
  });

  it('quotes a text body', () => {
    expect(describeHttpError(502, 'upstream\n  timed out', 'Bad Gateway')).toBe(
      '502 Bad Gateway: upstream timed out',
    );
  });

  it('shortens a long text body', () => {
    const message = describeHttpError(500, 'x'.repeat(1000), 'Internal Server Error');
    expect(message.startsWith('500 Internal Server Error: xxx')).toBe(true);
    expect(message.endsWith('…')).toBe(true);
    expect(message.length).toBeLessThan(260);
  });

  it('gives only the status for an empty or unknown body', () => {
    expect(describeHttpError(503, '', 'Service Unavailable')).toBe('503 Service Unavailable');
    expect(describeHttpError(500, null, '')).toBe('500 Internal Server Error');
    expect(describeHttpError(500, [1, 2], '')).toBe('500 Internal Server Error');
    expect(describeHttpError(500, { message: 42 }, '')).toBe('500 Internal Server Error');
  });

  it('does not repeat a message equal to the reason', () => {
    expect(describeHttpError(404, { error: 'Not Found', message: 'Not Found' })).toBe('404 Not Found');
  });
});

describe('describeNetworkError', () => {
  it('names the API URL', () => {
    expect(describeNetworkError('http://127.0.0.1:3000')).toBe(
      'Could not reach the API at http://127.0.0.1:3000',
    );
  });
});
