/**
 * The web container's security headers: exactly those `vite preview` sends
 * (../security-headers.ts, the one source), as nginx `add_header` lines.
 *
 * The Content-Security-Policy lets the page connect to the API and the
 * Collector, whose URLs are known only when the container starts. So the
 * image carries a template (written at build time by write-image-files.mjs)
 * with CONNECT_PLACEHOLDER where those origins go, and
 * 40-tracing-demo-runtime-config.sh puts them in when the container starts.
 */
import { webSecurityHeaders } from '../security-headers.ts';

/** Stands for the connect-src origins; `.invalid` can never be a real host (RFC 2606). */
export const CONNECT_PLACEHOLDER = 'http://connect-origins.invalid';

/** nginx lines that add every security header to every response (`always`: errors too). */
export function nginxSecurityHeaders(): string {
  const headers = webSecurityHeaders({ connectTo: [CONNECT_PLACEHOLDER], webOrigins: [] });
  return Object.entries(headers)
    .map(([name, value]) => {
      // Double quotes delimit the value in nginx; the policy uses only single ones.
      if (/["\\$]/.test(value)) throw new Error(`The ${name} header cannot be written for nginx: ${value}`);
      return `add_header ${name} "${value}" always;\n`;
    })
    .join('');
}
