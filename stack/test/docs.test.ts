/**
 * The documentation against the repository: every relative link of README.md
 * and docs/*.md resolves (files and #anchors), README.md stays short, and the
 * variable tables agree with the code (stack/src/config.ts DEFAULTS, the
 * OTEL_* variables the supervisor sets for the Node services and the retry
 * buffer's defaults, the Collector and Jaeger configs, the
 * browser's endpoints, compose.yaml and the Dockerfiles). Each checker also
 * gets input it must reject.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RETRY_BUFFER_VARIABLES } from '../../node-telemetry/src/retry-buffer.ts';
import { BROWSER_ENDPOINT_KEYS, BROWSER_ENDPOINTS } from '../src/browser-config.ts';
import { DEFAULT_CHROMIUM_PATH } from '../src/chromium.ts';
import { DEFAULTS, loadStackConfig, SERVICE_NAMES } from '../src/config.ts';
import { REPO_ROOT, serviceOtelEnv } from '../src/processes.ts';
import {
  brokenLinks,
  composeDefaults,
  type FileSystem,
  githubSlug,
  headingAnchors,
  markdownLinks,
  mentions,
  sourceTexts,
  type VariableFacts,
  variableRows,
  variableTableProblems,
  yamlEnvVariables,
} from './doc-checks.ts';

const read = (path: string) => readFileSync(join(REPO_ROOT, path), 'utf8');
const DOCS = [
  'README.md',
  ...readdirSync(join(REPO_ROOT, 'docs'))
    .filter((name) => name.endsWith('.md'))
    .map((name) => `docs/${name}`),
];

/** A newcomer's page: the pitch, the two commands, the map, the links. */
const README_MAX_BYTES = 12 * 1024;

describe('README.md and docs/*.md', () => {
  it.each(DOCS)('%s: every relative link resolves, #anchors included', (file) => {
    expect(brokenLinks(join(REPO_ROOT, file), read(file))).toEqual([]);
  });

  it(`README.md is at most ${README_MAX_BYTES} bytes`, () => {
    expect(Buffer.byteLength(read('README.md'))).toBeLessThanOrEqual(README_MAX_BYTES);
  });

  it('README.md links to every page of docs/', () => {
    const linked = new Set(markdownLinks(read('README.md')).map(({ target }) => target.split('#')[0]));
    expect(DOCS.filter((file) => file !== 'README.md' && !linked.has(file))).toEqual([]);
  });
});

describe('the link checker', () => {
  const files: Record<string, string> = {
    '/r/README.md': '',
    '/r/docs/a.md': '# A page\n\n## Ports & variables\n\n## Ports & variables\n',
    '/r/docs': '',
    '/r/server/x.ts': '',
  };
  const fs: FileSystem = { exists: (path) => path in files, read: (path) => files[path]! };
  const check = (markdown: string) => brokenLinks('/r/README.md', `# Top\n\n## Two words\n\n${markdown}`, fs);

  it('accepts files, folders, anchors and web links', () => {
    expect(
      check(
        [
          '[a](docs/a.md) [b](docs/) [c](server/x.ts) [d](#two-words) [e](docs/a.md#a-page)',
          '[f](docs/a.md#ports--variables-1) ![g](docs/a.md) [h](https://example.com/nope.md)',
          '[i](<docs/a.md> "title") [j](mailto:x@example.com)',
        ].join('\n'),
      ),
    ).toEqual([]);
  });

  it('rejects a missing file, a missing anchor here or there, and an absolute path', () => {
    expect(check('[a](docs/missing.md)\n[b](#nope) [c](docs/a.md#nope) [d](/docs/a.md)')).toEqual([
      '/r/README.md:5: "docs/missing.md" points to docs/missing.md, which does not exist',
      '/r/README.md:6: "#nope": no heading of this file has the anchor #nope',
      '/r/README.md:6: "docs/a.md#nope": no heading of docs/a.md has the anchor #nope',
      '/r/README.md:6: "/docs/a.md" is an absolute path; use a relative one',
    ]);
  });

  it('ignores what is code, not a link', () => {
    expect(check('`[a](nope.md)`\n\n```md\n[b](nope.md)\n# Not a heading\n```\n')).toEqual([]);
    expect(headingAnchors('```\n# Not a heading\n```\n# Yes')).toEqual(new Set(['yes']));
  });

  it('makes the anchors GitHub makes', () => {
    expect(githubSlug('User actions and the `await` pitfall')).toBe('user-actions-and-the-await-pitfall');
    expect(githubSlug('Browser → API → Collector → Jaeger: one click, ONE trace')).toBe(
      'browser--api--collector--jaeger-one-click-one-trace',
    );
    expect(githubSlug('Scale-out: an agent → gateway tier')).toBe('scale-out-an-agent--gateway-tier');
    expect([...headingAnchors('# X\n## X\n### [X](y.md)')]).toEqual(['x', 'x-1', 'x-2']);
  });
});

// ---------------------------------------------------------------- variable tables

const sources = sourceTexts(REPO_ROOT);
/** The SDK packages the Node services load read the standard OTEL_* variables themselves. */
const sdkSources = ['sdk-node', 'sdk-trace-base', 'core'].map((name) =>
  readdirSync(join(REPO_ROOT, 'server/node_modules/@opentelemetry', name, 'build/src'), {
    recursive: true,
  })
    .map(String)
    .filter((file) => file.endsWith('.js'))
    .map((file) => read(`server/node_modules/@opentelemetry/${name}/build/src/${file}`))
    .join('\n'),
);
const isRead = (name: string) =>
  mentions(sources.values(), name) || (name.startsWith('OTEL_') && mentions(sdkSources, name));

const collectorConfigs = yamlEnvVariables(
  readdirSync(join(REPO_ROOT, 'collector'))
    .filter((name) => name.endsWith('.yaml'))
    .map((name) => read(`collector/${name}`))
    .join('\n'),
);
/** What the Node services' OTEL_* variables default to: the supervisor's values, and the retry buffer's own. */
const otelDefaults: Record<string, string> = {
  ...serviceOtelEnv(loadStackConfig({}), SERVICE_NAMES.api, {}),
  ...Object.fromEntries(Object.values(RETRY_BUFFER_VARIABLES).map((v) => [v.name, String(v.default)])),
};

/** The native defaults: the configs' own, under the services' OTEL_* variables, under DEFAULTS (the launcher sets them). */
const nativeFacts: VariableFacts = {
  defaults: new Map<string, string>([
    ...collectorConfigs.defaults,
    ...Object.entries(otelDefaults),
    ...Object.entries(DEFAULTS).map(([name, value]): [string, string] => [name, String(value)]),
    ['CHROMIUM_PATH', DEFAULT_CHROMIUM_PATH],
  ]),
  required: [],
  isRead,
};

/** What compose.yaml and the Dockerfiles default to. */
const composeFacts: VariableFacts = {
  defaults: composeDefaults(['compose.yaml', 'server/Dockerfile', 'web/Dockerfile'].map(read)),
  required: [],
  isRead,
};

describe('the variable tables', () => {
  it('docs/configuration.md lists every variable of the code, with its default', () => {
    const required = [
      ...Object.keys(DEFAULTS),
      ...Object.keys(otelDefaults),
      ...collectorConfigs.names,
      ...BROWSER_ENDPOINT_KEYS.flatMap((key) => [
        BROWSER_ENDPOINTS[key].viteName,
        BROWSER_ENDPOINTS[key].stackName,
      ]),
    ];
    const file = 'docs/configuration.md';
    expect(variableTableProblems(file, read(file), { ...nativeFacts, required })).toEqual([]);
  });

  it.each(DOCS.filter((file) => !['docs/configuration.md', 'docs/docker.md'].includes(file)))(
    '%s: any variable table agrees with the native defaults',
    (file) => {
      expect(variableTableProblems(file, read(file), nativeFacts)).toEqual([]);
    },
  );

  it('docs/docker.md agrees with compose.yaml and the Dockerfiles', () => {
    const file = 'docs/docker.md';
    expect(variableRows(read(file)).length).toBeGreaterThan(0);
    expect(variableTableProblems(file, read(file), composeFacts)).toEqual([]);
  });
});

describe('the variable table checker', () => {
  const facts: VariableFacts = {
    defaults: new Map([
      ['API_PORT', '3000'],
      ['LOG_LEVEL', 'info'],
      ['A_MIB', '256'],
      ['B_MIB', '64'],
    ]),
    required: ['API_PORT', 'WEB_PORT'],
    isRead: (name) => name !== 'GONE_VARIABLE',
  };
  const table = (...rows: string[]) =>
    ['Text before.', '', '| variable | default | what |', '|---|---:|---|', ...rows, '', 'After.'].join('\n');

  it('reads names and their defaults in pairs, skipping other tables', () => {
    const markdown = `| port | x |\n|---|---|\n| \`NOT_THIS\` | \`1\` |\n\n${table(
      '| `A_MIB`, `B_MIB` | `256`, `64` | the Collector (`memory_limiter`) |',
    )}`;
    expect(variableRows(markdown)).toEqual([{ names: ['A_MIB', 'B_MIB'], defaults: ['256', '64'], line: 9 }]);
  });

  it('accepts a table that agrees with the code', () => {
    expect(
      variableTableProblems(
        'doc.md',
        table(
          '| `API_PORT` | `3000` | API |',
          '| `WEB_PORT` | derived | web |',
          '| `A_MIB`, `B_MIB` | `256`, `64` | |',
        ),
        facts,
      ),
    ).toEqual([]);
  });

  it('rejects a wrong default, a missing one, a missing or repeated variable, and one nothing reads', () => {
    expect(
      variableTableProblems(
        'doc.md',
        table(
          '| `API_PORT` | `3001` | API |',
          '| `A_MIB`, `B_MIB` | `256` | only one default |',
          '| `LOG_LEVEL` | `info` | |',
          '| `LOG_LEVEL` | `info` | again |',
          '| `GONE_VARIABLE` | `x` | removed from the code |',
        ),
        facts,
      ),
    ).toEqual([
      'doc.md:5: API_PORT defaults to `3000` in the code, not `3001`',
      'doc.md:6: B_MIB has the default `64` in the code; the table gives none',
      'doc.md:8: LOG_LEVEL is listed again (first on line 7)',
      'doc.md:9: GONE_VARIABLE is listed, but no source file reads it',
      'doc.md: WEB_PORT is missing from the variable tables',
    ]);
  });

  it('reads the defaults of the Collector configs, compose.yaml and the Dockerfiles', () => {
    expect(yamlEnvVariables('a: ${env:X_PORT:-4317}\nb: ${env:Y_LIST}\n')).toEqual({
      names: new Set(['X_PORT', 'Y_LIST']),
      defaults: new Map([['X_PORT', '4317']]),
    });
    expect(
      composeDefaults(['p: ${A:-1}\nq: ${B:-http://h:${C:-2}}\n', 'ARG NODE_IMAGE=node:24\nARG EMPTY\n']),
    ).toEqual(
      new Map([
        ['A', '1'],
        ['C', '2'],
        ['NODE_IMAGE', 'node:24'],
      ]),
    );
  });

  it('finds a variable only as a whole word', () => {
    expect(mentions(['process.env.API_PORT'], 'API_PORT')).toBe(true);
    expect(mentions(['process.env.API_PORTS'], 'API_PORT')).toBe(false);
    expect(mentions(['VITE_API_URL'], 'API_URL')).toBe(false);
  });
});
