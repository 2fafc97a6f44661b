/**
 * Checkers for the documentation (README.md, docs/*.md), used by docs.test.ts:
 * every relative link resolves, and the variable tables agree with the code.
 * Each returns a list of problems, one sentence each; [] means none.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';

// ---------------------------------------------------------------- links

export interface MarkdownLink {
  target: string;
  /** 1-based line of the link in its file. */
  line: number;
}

/** The text with fenced code blocks and inline code blanked out (line breaks kept). */
function withoutCode(markdown: string): string {
  const blank = (text: string) => text.replace(/[^\n]/g, ' ');
  return markdown
    .replace(/^(```|~~~)[^\n]*\n[\s\S]*?^\1[^\n]*$/gm, blank)
    .replace(/(`+)[^`\n][\s\S]*?\1/g, blank);
}

/** Every inline link and image target `[text](target)` outside code, with its line. */
export function markdownLinks(markdown: string): MarkdownLink[] {
  const text = withoutCode(markdown);
  const links: MarkdownLink[] = [];
  // `[text](target)` or `[text](<target> "title")`; the text may hold inline code (blanked above).
  for (const match of text.matchAll(/!?\[[^\]]*\]\(\s*(<[^>]*>|[^\s)]+)(?:\s+"[^"]*")?\s*\)/g)) {
    const target = match[1]!.replace(/^<|>$/g, '');
    links.push({ target, line: text.slice(0, match.index).split('\n').length });
  }
  return links;
}

/**
 * The anchor GitHub gives a heading: lower case, punctuation and symbols
 * dropped (letters, digits, `_`, `-` and spaces kept), each space a `-`.
 */
export function githubSlug(heading: string): string {
  return heading
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M}_\- ]/gu, '')
    .replace(/ /g, '-');
}

/** The anchors of a file's headings, a repeated one numbered as GitHub does (`x`, `x-1`, …). */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const counts = new Map<string, number>();
  let fence: string | undefined;
  for (const line of markdown.split('\n')) {
    const fenceMark = /^(```|~~~)/.exec(line)?.[1];
    if (fenceMark !== undefined && (fence === undefined || fence === fenceMark)) {
      fence = fence === undefined ? fenceMark : undefined;
      continue;
    }
    const heading = fence === undefined ? /^#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(line)?.[1] : undefined;
    if (heading === undefined) continue;
    // A link in a heading counts by its text.
    const base = githubSlug(heading.replace(/\[([^\]]*)\]\([^)]*\)/g, '$1'));
    const seen = counts.get(base) ?? 0;
    anchors.add(seen === 0 ? base : `${base}-${seen}`);
    counts.set(base, seen + 1);
  }
  return anchors;
}

export interface FileSystem {
  exists(path: string): boolean;
  read(path: string): string;
}

export const realFileSystem: FileSystem = {
  exists: (path) => existsSync(path),
  read: (path) => readFileSync(path, 'utf8'),
};

/**
 * The links of `file` (absolute path) whose target does not exist: a
 * relative path (to a file or a folder), and an `#anchor`, in the same file
 * or in another Markdown file, that no heading there has. Web links are not
 * followed.
 */
export function brokenLinks(file: string, markdown: string, fs: FileSystem = realFileSystem): string[] {
  const problems: string[] = [];
  for (const { target, line } of markdownLinks(markdown)) {
    if (/^[a-z][a-z0-9+.-]*:/i.test(target)) continue; // http:, https:, mailto:
    const [pathPart = '', anchor] = target.split('#', 2) as [string, string | undefined];
    const path = decodeURIComponent(pathPart);
    const where = `${file}:${line}`;
    const resolved = path === '' ? file : resolve(dirname(file), path);
    if (path.startsWith('/')) {
      problems.push(`${where}: "${target}" is an absolute path; use a relative one`);
      continue;
    }
    if (!fs.exists(resolved)) {
      problems.push(`${where}: "${target}" points to ${path}, which does not exist`);
      continue;
    }
    if (anchor !== undefined && resolved.endsWith('.md')) {
      const text = resolved === file ? markdown : fs.read(resolved);
      if (!headingAnchors(text).has(anchor)) {
        problems.push(
          `${where}: "${target}": no heading of ${path || 'this file'} has the anchor #${anchor}`,
        );
      }
    }
  }
  return problems;
}

// ---------------------------------------------------------------- variable tables

export interface VariableRow {
  /** The variable names of the first cell, in order. */
  names: string[];
  /** The backticked values of the second cell, in order: the i-th is the default of the i-th name. */
  defaults: string[];
  line: number;
}

const VARIABLE_NAME = /^[A-Z][A-Z0-9_]*$/;

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\||\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

function backticked(cell: string): string[] {
  return [...cell.matchAll(/`([^`]*)`/g)].map((match) => match[1]!);
}

/**
 * The rows of every table whose first column is headed `variable`: names in
 * backticks in the first cell, their defaults in backticks in the second.
 */
export function variableRows(markdown: string): VariableRow[] {
  const lines = markdown.split('\n');
  const rows: VariableRow[] = [];
  for (let i = 0; i + 1 < lines.length; i += 1) {
    const header = lines[i]!;
    if (!header.trim().startsWith('|') || cells(header)[0]?.toLowerCase() !== 'variable') continue;
    if (!/^\s*\|?\s*:?-{3,}/.test(lines[i + 1]!)) continue;
    let j = i + 2;
    for (; j < lines.length && lines[j]!.trim().startsWith('|'); j += 1) {
      const [first = '', second = ''] = cells(lines[j]!);
      const names = backticked(first).filter((name) => VARIABLE_NAME.test(name));
      if (names.length > 0) rows.push({ names, defaults: backticked(second), line: j + 1 });
    }
    i = j;
  }
  return rows;
}

export interface VariableFacts {
  /** The defaults the code gives, by variable. */
  defaults: ReadonlyMap<string, string>;
  /** Variables the tables must list. */
  required: Iterable<string>;
  /** Whether some source file (or the SDK the services load) reads the variable. */
  isRead: (name: string) => boolean;
}

/**
 * Where the variable tables of `markdown` disagree with the code: a default
 * that differs, a default left out, a required variable missing, a variable
 * listed twice, or one that nothing reads any more.
 */
export function variableTableProblems(file: string, markdown: string, facts: VariableFacts): string[] {
  const problems: string[] = [];
  const seen = new Map<string, number>();
  for (const row of variableRows(markdown)) {
    row.names.forEach((name, index) => {
      const where = `${file}:${row.line}`;
      const before = seen.get(name);
      if (before !== undefined) problems.push(`${where}: ${name} is listed again (first on line ${before})`);
      seen.set(name, row.line);
      if (!facts.isRead(name)) problems.push(`${where}: ${name} is listed, but no source file reads it`);
      const expected = facts.defaults.get(name);
      if (expected === undefined) return;
      const documented = row.defaults[index];
      if (documented === undefined) {
        problems.push(`${where}: ${name} has the default \`${expected}\` in the code; the table gives none`);
      } else if (documented !== expected) {
        problems.push(`${where}: ${name} defaults to \`${expected}\` in the code, not \`${documented}\``);
      }
    });
  }
  for (const name of facts.required) {
    if (!seen.has(name)) problems.push(`${file}: ${name} is missing from the variable tables`);
  }
  return problems;
}

// ---------------------------------------------------------------- facts from the code

/** `${env:NAME:-default}` of the Collector and Jaeger configs: every name, and the defaults. */
export function yamlEnvVariables(yaml: string): { names: Set<string>; defaults: Map<string, string> } {
  const names = new Set<string>();
  const defaults = new Map<string, string>();
  for (const match of yaml.matchAll(/\$\{env:([A-Z][A-Z0-9_]*)(?::-([^}]*))?\}/g)) {
    names.add(match[1]!);
    if (match[2] !== undefined) defaults.set(match[1]!, match[2]);
  }
  return { names, defaults };
}

/** `${NAME:-default}` of compose.yaml whose default holds no other variable, and `ARG NAME=default` of Dockerfiles. */
export function composeDefaults(texts: Iterable<string>): Map<string, string> {
  const defaults = new Map<string, string>();
  for (const text of texts) {
    for (const match of text.matchAll(/\$\{([A-Z][A-Z0-9_]*):-([^${}]*)\}/g))
      defaults.set(match[1]!, match[2]!);
    for (const match of text.matchAll(/^ARG ([A-Z][A-Z0-9_]*)=(\S+)$/gm)) defaults.set(match[1]!, match[2]!);
  }
  return defaults;
}

const SKIPPED_DIRS = new Set([
  'node_modules',
  '.git',
  '.tools',
  '.data',
  'dist',
  'bin',
  '.build',
  'bench-results',
  'test-results',
  'playwright-report',
  'docs',
  // Unit tests and their helpers may name a variable the code no longer reads.
  'test',
]);
const SOURCE_FILE = /(\.(ts|tsx|mjs|js|yaml|yml|sh|json)|Dockerfile|^run)$/;

/**
 * The text of every source file of the repository that could read a
 * variable: code, configs, Dockerfiles, scripts. Not Markdown, and not the
 * unit tests.
 */
export function sourceTexts(root: string): Map<string, string> {
  const texts = new Map<string, string>();
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) {
        if (!SKIPPED_DIRS.has(name)) walk(path);
      } else if (SOURCE_FILE.test(name) && !name.endsWith('.test.ts') && name !== 'pnpm-lock.yaml') {
        texts.set(relative(root, path), readFileSync(path, 'utf8'));
      }
    }
  };
  walk(root);
  return texts;
}

/** Whether any of `texts` holds `name` as a whole word. */
export function mentions(texts: Iterable<string>, name: string): boolean {
  const word = new RegExp(`(^|[^A-Za-z0-9_])${name}($|[^A-Za-z0-9_])`);
  for (const text of texts) if (word.test(text)) return true;
  return false;
}
