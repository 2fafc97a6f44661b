/**
 * Handing a test's trace context to the page, the one way that leaves the
 * app's own propagation alone: `<meta name="traceparent" content="…">` in the
 * document, there before the app's scripts run. The OpenTelemetry
 * document-load instrumentation reads this meta to parent the page's load
 * spans, and an app can parent its user action spans on it (the demo's
 * web/src/telemetry/page-trace-context.ts does). The requests the app makes still carry
 * the `traceparent` its own fetch instrumentation builds: nothing here sets,
 * routes or rewrites a request header (tools that do cut the app's browser
 * spans off from its server spans).
 */

/**
 * The source of an init script (`page.addInitScript` / `context.addInitScript`)
 * that puts `<meta name="traceparent" content="${traceparent}">` at the top of
 * the document's `<head>` as soon as the parser makes it, in every frame. A
 * page that serves its own traceparent meta keeps it: the test does not
 * override what the app says.
 */
export function traceparentMetaScript(traceparent: string): string {
  // Init scripts run when the document is created, before its <head> exists:
  // wait for it with a MutationObserver (its callback runs before any script
  // the parser meets later, so before the app's).
  return `(() => {
  const content = ${JSON.stringify(traceparent)};
  const insert = () => {
    const head = document.head;
    if (!head) return false;
    if (!head.querySelector('meta[name="traceparent"]')) {
      const meta = document.createElement('meta');
      meta.name = 'traceparent';
      meta.content = content;
      head.prepend(meta);
    }
    return true;
  };
  if (insert()) return;
  const observer = new MutationObserver(() => {
    if (insert()) observer.disconnect();
  });
  observer.observe(document, { childList: true, subtree: true });
})();`;
}
