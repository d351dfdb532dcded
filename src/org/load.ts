import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type Document, type Node } from 'yaml';
import { fromRaw, MOMENTS, ORG_SCHEMA, type OrgFile, type RawOrgFile } from './schema';
import { serviceChecks } from './service-checks';
import { postmortemChecks } from './postmortem';
import { followUpChecks } from './followups';
import { policyChecks } from './policy';
import { INTERNAL_VARIABLES, isTemplateVariable, TEMPLATE_VARIABLES, variablesIn, type TemplateVariable } from './template';

/** A bad organisation file: every problem as `file:line:col reason`, so the start stops naming them all. */
export class OrgFileError extends Error {
  constructor(readonly problems: string[]) {
    super(`The organisation file has ${problems.length} problem(s):\n${problems.map((p) => `  ${p}`).join('\n')}`);
    this.name = 'OrgFileError';
  }
}

/** The example kept in the repository: local mode reads it when the default file is absent. */
export const EXAMPLE_ORG_FILE = path.resolve(__dirname, '../../firebreak.org.example.yml');

/**
 * Which file to read: FIREBREAK_ORG_FILE when set (it must exist), else ./firebreak.org.yml, else in local mode the
 * example. Production without a file runs without a status page's organisation (undefined), said at start.
 */
export function orgFilePath(setting: string | undefined, mode: 'local' | 'production', cwd = process.cwd()): string | undefined {
  if (setting) return path.resolve(cwd, setting);
  const fallback = path.resolve(cwd, 'firebreak.org.yml');
  if (existsSync(fallback)) return fallback;
  return mode === 'local' ? EXAMPLE_ORG_FILE : undefined;
}

const ajv = new Ajv({ allErrors: true, strict: false });
const validate = ajv.compile(ORG_SCHEMA);

/** Reads and checks the file: shape, then cross-references, then template variables. Throws OrgFileError. */
export function loadOrgFile(file: string): OrgFile {
  let source: string;
  try {
    source = readFileSync(file, 'utf8');
  } catch (err) {
    throw new OrgFileError([`${file}:1:1 cannot be read (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`]);
  }
  return parseOrgFile(source, file);
}

export function parseOrgFile(source: string, file: string): OrgFile {
  const lines = new LineCounter();
  const doc = parseDocument(source, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
  const at = (offset: number) => {
    const { line, col } = lines.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  if (doc.errors.length) throw new OrgFileError(doc.errors.map((e) => `${at(e.pos[0])} ${e.message.split('\n')[0]}`));
  const data = doc.toJS() as unknown;
  if (!validate(data)) {
    const problems = (validate.errors ?? [])
      // oneOf reports each branch; the branch errors below it say more.
      .filter((e) => e.keyword !== 'oneOf' && !(e.keyword === 'type' && e.schemaPath.includes('/oneOf/0/')))
      .map((e) => {
        const segments = e.instancePath.split('/').slice(1).map(unescapePointer);
        const extra = (e.params as { additionalProperty?: string }).additionalProperty;
        const offset = extra !== undefined ? keyOffset(doc, segments, extra) : nodeOffset(doc, segments);
        const where = e.instancePath ? e.instancePath.slice(1).replace(/\//g, '.') : 'the file';
        const what = extra !== undefined ? `unknown key "${extra}" in ${where}` : `${where} ${e.message}`;
        return `${at(offset)} ${what}`;
      });
    throw new OrgFileError([...new Set(problems)]);
  }
  const raw = data as RawOrgFile;
  const problems = [...crossReferences(raw, doc, at), ...templateVariables(raw, doc, source, at), ...serviceChecks(raw, (p) => at(nodeOffset(doc, p.map(String)))), ...postmortemChecks(raw, (p) => at(nodeOffset(doc, p.map(String)))), ...followUpChecks(raw, (p) => at(nodeOffset(doc, p.map(String)))), ...policyChecks(raw, (p) => at(nodeOffset(doc, p.map(String))))];
  if (problems.length) throw new OrgFileError(problems);
  return fromRaw(raw, file);
}

function crossReferences(raw: RawOrgFile, doc: Document, at: (o: number) => string): string[] {
  const problems: string[] = [];
  const unique = (items: { id: string }[], where: string) => {
    const seen = new Set<string>();
    items.forEach((item, i) => {
      if (seen.has(item.id)) problems.push(`${at(nodeOffset(doc, [...where.split('.'), String(i), 'id']))} ${where} "${item.id}" is listed twice`);
      seen.add(item.id);
    });
  };
  unique(raw.status_page.components, 'status_page.components');
  unique(raw.audiences, 'audiences');
  const publicOnes = raw.audiences.map((a, i) => ({ a, i })).filter(({ a }) => a.channels.status_page);
  for (const { i } of publicOnes.slice(1)) problems.push(`${at(nodeOffset(doc, ['audiences', String(i), 'channels', 'status_page']))} only one audience can be the status page's (it is already "${publicOnes[0].a.id}")`);
  for (const { a, i } of publicOnes.slice(0, 1)) {
    const first = a.templates.first_contact;
    if (!first || typeof first === 'string' || !first.title) {
      problems.push(`${at(nodeOffset(doc, ['audiences', String(i), 'templates', ...(first ? ['first_contact'] : [])]))} the status page's audience needs templates.first_contact with a title (the public name of an incident)`);
    }
  }
  return problems;
}

/** Unknown variables anywhere; internal ones (names, the internal title) in what the public sees. */
function templateVariables(raw: RawOrgFile, doc: Document, source: string, at: (o: number) => string): string[] {
  const problems: string[] = [];
  raw.audiences.forEach((audience, i) => {
    for (const moment of MOMENTS) {
      const template = audience.templates[moment];
      if (template === undefined) continue;
      const fields = typeof template === 'string' ? [{ text: template, key: [] as string[] }] : [{ text: template.body, key: ['body'] }, ...(template.title ? [{ text: template.title, key: ['title'] }] : [])];
      for (const field of fields) {
        const node = doc.getIn(['audiences', i, 'templates', moment, ...field.key], true);
        const start = isNode(node) && node.range ? node.range[0] : 0;
        const end = isNode(node) && node.range ? node.range[1] : source.length;
        for (const v of variablesIn(field.text)) {
          const offset = locate(source, v.name, start, end) ?? start;
          if (!isTemplateVariable(v.name)) problems.push(`${at(offset)} unknown template variable {{${v.name}}} (known: ${Object.keys(TEMPLATE_VARIABLES).join(', ')})`);
          else if (audience.channels.status_page && INTERNAL_VARIABLES.includes(v.name as TemplateVariable)) {
            problems.push(`${at(offset)} {{${v.name}}} is internal: the status page's audience ("${audience.id}") must not show it`);
          }
        }
      }
    }
  });
  return problems;
}

/** The offset of `{{ name` in the source within [start, end), if written there as such. */
function locate(source: string, name: string, start: number, end: number): number | undefined {
  const re = new RegExp(`\\{\\{\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*\\}\\}`, 'g');
  re.lastIndex = start;
  const m = re.exec(source);
  return m && m.index < end ? m.index : undefined;
}

/** Where the node at `segments` starts; the deepest existing parent when it is missing (a required key). */
function nodeOffset(doc: Document, segments: string[]): number {
  for (let n = segments.length; n >= 0; n--) {
    const node = doc.getIn(segments.slice(0, n).map(keyOf), true) as Node | undefined;
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

/** Where an unknown key is written (its key, not its value). */
function keyOffset(doc: Document, segments: string[], key: string): number {
  const parent = segments.length ? doc.getIn(segments.map(keyOf), true) : doc.contents;
  if (isMap(parent)) {
    const pair = parent.items.find((p) => isScalar(p.key) && String(p.key.value) === key);
    if (pair && isScalar(pair.key) && pair.key.range) return pair.key.range[0];
  }
  return nodeOffset(doc, segments);
}

const keyOf = (segment: string): string | number => (/^\d+$/.test(segment) ? Number(segment) : segment);
const unescapePointer = (s: string) => s.replace(/~1/g, '/').replace(/~0/g, '~');
