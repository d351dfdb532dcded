import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fail, type SandboxError } from './errors';
import { schemaPath } from '../../schemas';

/**
 * Routes and request checks driven by Google's own discovery documents (schemas/, vendored from ../shared/schemas), so the sandbox
 * accepts exactly the paths, query parameters and body fields the real API declares. Discovery is not JSON
 * Schema (`$ref` by schema name, int64 as strings, `annotations.required` per method), so it is walked here.
 * Unknown fields fail loudly the way One Platform APIs do:
 * `Invalid JSON payload received. Unknown name "x" at 'requests[0].insert_text': Cannot find field.`
 */
type Json = Record<string, any>;

export interface MethodSpec {
  /** The discovery id, e.g. `docs.documents.batchUpdate`. */
  id: string;
  httpMethod: string;
  pattern: RegExp;
  pathParams: string[];
  parameters: Record<string, Json>;
  requestSchema?: string;
  scopes: string[];
}

export interface ApiSpec {
  name: 'docs' | 'drive';
  methods: MethodSpec[];
  schemas: Record<string, Json>;
  globalParameters: Record<string, Json>;
  /** For type names in error messages (`type.googleapis.com/google.apps.docs.v1.Request`). */
  protoPackage: string;
}

const SCHEMAS_DIR = path.dirname(schemaPath('README.md'));

export function loadApi(name: 'docs' | 'drive', dir = SCHEMAS_DIR): ApiSpec {
  const file = name === 'docs' ? 'google-docs-v1.discovery.json' : 'google-drive-v3.discovery.json';
  const d = JSON.parse(readFileSync(path.join(dir, file), 'utf8')) as Json;
  const methods: MethodSpec[] = [];
  const walk = (resources: Json) => {
    for (const resource of Object.values(resources ?? {}) as Json[]) {
      for (const m of Object.values(resource.methods ?? {}) as Json[]) {
        const template = `/${d.servicePath}${m.flatPath ?? m.path}`;
        const pathParams: string[] = [];
        const source = template.replace(/[.*+?^$()|[\]\\]/g, '\\$&').replace(/\{\+?([^}]+)\}/g, (_all, p: string) => {
          pathParams.push(p);
          return '([^/]+)';
        });
        methods.push({
          id: m.id,
          httpMethod: m.httpMethod,
          pattern: new RegExp(`^${source}$`),
          pathParams,
          parameters: m.parameters ?? {},
          requestSchema: m.request?.$ref,
          scopes: m.scopes ?? [],
        });
      }
      walk(resource.resources);
    }
  };
  walk(d.resources);
  // Literal segments beat parameters: try the longest templates first.
  methods.sort((a, b) => b.pattern.source.length - a.pattern.source.length);
  const protoPackage = name === 'docs' ? 'google.apps.docs.v1' : 'google.apps.drive.v3';
  return { name, methods, schemas: d.schemas, globalParameters: d.parameters, protoPackage };
}

export function matchRoute(api: ApiSpec, method: string, pathname: string): { spec: MethodSpec; params: Record<string, string> } | undefined {
  for (const spec of api.methods) {
    if (spec.httpMethod !== method) continue;
    const m = spec.pattern.exec(pathname);
    if (m) return { spec, params: Object.fromEntries(spec.pathParams.map((p, i) => [p, decodeURIComponent(m[i + 1])])) };
  }
  return undefined;
}

/** Unknown or malformed query parameters. */
export function checkQuery(api: ApiSpec, spec: MethodSpec, query: URLSearchParams): SandboxError | undefined {
  for (const [key, value] of query) {
    const p = spec.parameters[key] ?? api.globalParameters[key];
    if (!p || p.location === 'path') {
      return fail.badRequest(`Invalid JSON payload received. Unknown name "${key}": Cannot bind query parameter. Field '${key}' could not be found in request message.`, {
        reason: 'invalidParameter',
        location: key,
      });
    }
    const problem = scalarProblem(value, p, true);
    if (problem) return fail.badRequest(`Invalid value at '${snake(key)}' (${problem}), "${value}"`, { reason: 'invalidParameter', location: key });
  }
  for (const [key, p] of Object.entries(spec.parameters)) {
    if (p.required && p.location === 'query' && !query.has(key)) return fail.badRequest(`Required parameter: ${key}`, { reason: 'required', location: key });
  }
  return undefined;
}

/** Checks a request body against its discovery schema; `methodId` enables `annotations.required`. */
export function checkBody(api: ApiSpec, schemaName: string, body: unknown, methodId: string): SandboxError | undefined {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    return fail.badRequest('Invalid JSON payload received. Expected an object.');
  }
  return walkObject(api, api.schemas[schemaName], body as Json, '', methodId, schemaName);
}

function walkObject(api: ApiSpec, schema: Json, value: Json, at: string, methodId: string, resource?: string): SandboxError | undefined {
  const props: Record<string, Json> = schema.properties ?? {};
  for (const [key, v] of Object.entries(value)) {
    const prop = props[key];
    if (!prop) {
      const where = at ? ` at '${at}'` : '';
      const message = `Invalid JSON payload received. Unknown name "${key}"${where}: Cannot find field.`;
      return fail.badRequest(message, {
        details: [{ '@type': 'type.googleapis.com/google.rpc.BadRequest', fieldViolations: [{ field: at || key, description: message }] }],
      });
    }
    if (v === null) continue;
    const problem = walkValue(api, prop, v, join(at, snake(key)), methodId);
    if (problem) return problem;
  }
  for (const [key, prop] of Object.entries(props)) {
    if ((prop.annotations?.required ?? []).includes(methodId) && value[key] === undefined) {
      if (api.name === 'drive' && resource) {
        // Drive names the resource: "The permission type field is required." on `permission.type` (locationType other).
        const name = resource[0].toLowerCase() + resource.slice(1);
        return fail.badRequest(`The ${name} ${key} field is required.`, { reason: 'required', location: `${name}.${key}`, locationType: 'other' });
      }
      return fail.badRequest(`The ${at ? `${at}.` : ''}${key} field is required.`, { reason: 'required', location: key });
    }
  }
  return undefined;
}

function walkValue(api: ApiSpec, prop: Json, v: unknown, at: string, methodId: string): SandboxError | undefined {
  if (prop.$ref) {
    if (typeof v !== 'object' || Array.isArray(v)) return invalid(at, `type.googleapis.com/${api.protoPackage}.${prop.$ref}`, v);
    return walkObject(api, api.schemas[prop.$ref], v as Json, at, methodId);
  }
  if (prop.type === 'array') {
    if (!Array.isArray(v)) return invalid(at, 'TYPE_MESSAGE', v);
    for (let i = 0; i < v.length; i++) {
      const problem = walkValue(api, prop.items, v[i], `${at}[${i}]`, methodId);
      if (problem) return problem;
    }
    return undefined;
  }
  if (prop.type === 'object') {
    if (typeof v !== 'object' || Array.isArray(v)) return invalid(at, 'TYPE_MESSAGE', v);
    if (prop.properties) return walkObject(api, prop, v as Json, at, methodId);
    if (prop.additionalProperties) {
      for (const [k, item] of Object.entries(v as Json)) {
        const problem = item === null ? undefined : walkValue(api, prop.additionalProperties, item, `${at}[${k}]`, methodId);
        if (problem) return problem;
      }
    }
    return undefined;
  }
  const problem = scalarProblem(v, prop, false);
  return problem ? invalid(at, problem, v) : undefined;
}

/** The proto type name when `v` does not fit a scalar property, else undefined. */
function scalarProblem(v: unknown, prop: Json, fromQuery: boolean): string | undefined {
  const type = prop.type as string;
  if (type === 'any') return undefined;
  if (type === 'boolean') return v === true || v === false || (fromQuery && (v === 'true' || v === 'false')) ? undefined : 'TYPE_BOOL';
  if (type === 'integer') return isInt(v) ? undefined : prop.format === 'uint32' ? 'TYPE_UINT32' : 'TYPE_INT32';
  if (type === 'number') return typeof v === 'number' || (typeof v === 'string' && v.trim() !== '' && !isNaN(Number(v))) ? undefined : 'TYPE_DOUBLE';
  if (type === 'string') {
    if (prop.format === 'int64' || prop.format === 'uint64') return isInt(v) ? undefined : 'TYPE_INT64';
    if (typeof v !== 'string') return 'TYPE_STRING';
    if (prop.enum && !prop.enum.includes(v)) return 'TYPE_ENUM';
  }
  return undefined;
}

function isInt(v: unknown): boolean {
  return (typeof v === 'number' && Number.isInteger(v)) || (typeof v === 'string' && /^-?\d+$/.test(v));
}

function invalid(at: string, type: string, v: unknown): SandboxError {
  return fail.badRequest(`Invalid value at '${at}' (${type}), ${JSON.stringify(v)}`);
}

const snake = (s: string) => s.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
const join = (a: string, b: string) => (a ? `${a}.${b}` : b);
