/**
 * What the web container's start script (40-tracing-demo-runtime-config.sh)
 * needs to know, written into the image when it is built
 * (write-image-files.mjs): a shell file it sources, with the page's endpoints
 * as stack/src/browser-config.ts defines them (the one place they are
 * computed): each one's key, whether the page connects to it, the two
 * variables that set it (the first one set wins) and its default; the global
 * the page reads them from; the placeholder of nginx-headers.ts. So the script
 * holds no variable name, port or URL of its own.
 */
import type { BrowserEndpoints } from '../../stack/src/browser-config.ts';
import {
  BROWSER_ENDPOINT_KEYS,
  BROWSER_ENDPOINTS,
  browserEndpoints,
  RUNTIME_CONFIG_GLOBAL,
} from '../../stack/src/browser-config.ts';
import { CONNECT_PLACEHOLDER } from './nginx-headers.ts';

/** A variable name the script may expand (it does so with eval). */
const NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;
/** A default URL the script may write into JavaScript and shell strings as it is. */
const PLAIN_URL = /^https?:\/\/[A-Za-z0-9._~:/@%+=-]+$/;

function checked(value: string, pattern: RegExp, what: string): string {
  if (!pattern.test(value)) throw new Error(`The web image cannot carry ${what} "${value}".`);
  return value;
}

/**
 * The shell file, sourced by the start script. The defaults are the stack's
 * own, with no variable set: compose passes the URLs it derives from the
 * ports (compose.yaml, service web).
 */
export function browserConfigTable(defaults: BrowserEndpoints = browserEndpoints({})): string {
  const rows = BROWSER_ENDPOINT_KEYS.map((key) => {
    const { viteName, stackName, connect } = BROWSER_ENDPOINTS[key];
    return [
      checked(key, NAME, 'the key'),
      connect ? 'connect' : 'link',
      checked(viteName, NAME, 'the variable'),
      checked(stackName, NAME, 'the variable'),
      checked(defaults[key], PLAIN_URL, 'the default'),
    ].join(' ');
  });
  return [
    '# Written when the image was built (web/docker/write-image-files.mjs) from',
    '# stack/src/browser-config.ts; sourced by 40-tracing-demo-runtime-config.sh.',
    `runtime_config_global=${checked(RUNTIME_CONFIG_GLOBAL, NAME, 'the global')}`,
    `connect_placeholder=${checked(CONNECT_PLACEHOLDER, PLAIN_URL, 'the placeholder')}`,
    '# One endpoint a line: its key; connect (the CSP connect-src lists its',
    '# origin) or link; the variables that set it, the first one set winning;',
    '# its default.',
    "endpoints='",
    ...rows,
    "'",
    '',
  ].join('\n');
}
