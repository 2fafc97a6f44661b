import { useEffect, useState } from 'react';
import type { StatusLoad } from './api/status-client';
import { loadStatus, STATUS_POLL_MS } from './api/status-client';

/**
 * The stack's status, asked at once, then every STATUS_POLL_MS while the page
 * is visible (and at once when it becomes visible again). Undefined until the
 * first answer. A failure of `GET /status` itself is a `failed` state, never
 * an exception.
 */
export function useStackStatus(apiBase: string): StatusLoad | undefined {
  const [status, setStatus] = useState<StatusLoad | undefined>(undefined);

  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    let controller: AbortController | undefined;

    const poll = async (): Promise<void> => {
      clearTimeout(timer);
      controller?.abort();
      if (!document.hidden) {
        const current = new AbortController();
        controller = current;
        try {
          const result = await loadStatus(apiBase, { signal: current.signal });
          if (!stopped) setStatus(result);
        } catch (error) {
          if (current.signal.aborted) return;
          if (!stopped)
            setStatus({ kind: 'failed', message: error instanceof Error ? error.message : String(error) });
        }
      }
      if (!stopped) timer = setTimeout(() => void poll(), STATUS_POLL_MS);
    };
    const onVisibility = (): void => {
      if (!document.hidden) void poll();
    };

    void poll();
    document.addEventListener('visibilitychange', onVisibility);
    return () => {
      stopped = true;
      clearTimeout(timer);
      controller?.abort();
      document.removeEventListener('visibilitychange', onVisibility);
    };
  }, [apiBase]);

  return status;
}
