import Ajv, { type ErrorObject, type ValidateFunction } from 'ajv';
import addFormats from 'ajv-formats';
import type { Activity } from 'botbuilder';
import { readFileSync } from 'node:fs';
import { schemaPath } from '../schemas';
import { TooDeep, wellFormedJson } from '../text-safety';
import { activitySchemas, HANDLED_INVOKES } from './validate-schemas';

export type CheckedActivity = { ok: true; activity: Activity } | { ok: false; reason: string };

/**
 * Every activity is checked at the edge, before botbuilder or a handler reads it: a missing or wrong-typed field is a
 * 400 naming the field, never a crash deeper down. Two layers, both with Ajv (already a dependency, and what the
 * tests use for the other vendored contracts; zod would mean writing the Bot Connector's types out a second time):
 * - the Bot Connector's own `Activity` definition (schemas/bot-connector-api.swagger.json), so every standard field
 *   has the type the contract gives it: botbuilder copies `from`, `recipient` and `conversation` into each reply and
 *   its serializer throws on a wrong type there;
 * - what Firebreak reads, per kind (validate-schemas.ts): message text and mentions, the Teams `channelData`, each
 *   handled invoke's `value`, the message a message action was invoked on.
 * Before either, NUL and unpaired surrogates in every string become U+FFFD (text-safety.ts): PostgreSQL cannot
 * store them, and they are nothing a person meant.
 * @example validateActivity({ type: 'message' }) // { ok: false, reason: 'the activity is missing serviceUrl, conversation, from' }
 */
export function validateActivity(body: unknown): CheckedActivity {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return refuse('the body must be a JSON activity object');
  let activity: Record<string, unknown>;
  try {
    activity = wellFormedJson(body as Record<string, unknown>);
  } catch (err) {
    if (err instanceof TooDeep) return refuse(`the activity is ${err.message}`);
    throw err;
  }
  const v = validators();
  if (!v.connector(activity)) return refuse(reason(v.connector.errors));
  if (!v.firebreak(activity)) return refuse(reason(v.firebreak.errors));
  if (activity.type === 'invoke') {
    const name = activity.name as string;
    const check = v.invokes.get(name);
    if (!check) {
      // botbuilder would answer 501 Not Implemented; the caller is better served by the list of what is handled.
      return refuse(`Firebreak does not handle the invoke ${JSON.stringify(name.slice(0, 60))}; it handles ${HANDLED_INVOKES.join(', ')}`);
    }
    const preview = (activity.value as Record<string, unknown>)?.botMessagePreviewAction;
    if (name === 'composeExtension/submitAction' && preview !== undefined) {
      // A preview's edit/send arrives only after a `botMessagePreview` answer, which Firebreak never gives.
      return refuse('value.botMessagePreviewAction is not expected: Firebreak answers the message extension with no message preview');
    }
    if (!check(activity)) return refuse(reason(check.errors));
  }
  return { ok: true, activity: activity as unknown as Activity };
}

function refuse(reason: string): CheckedActivity {
  return { ok: false, reason };
}

interface Validators {
  connector: ValidateFunction;
  firebreak: ValidateFunction;
  invokes: Map<string, ValidateFunction>;
}

let compiled: Validators | undefined;

function validators(): Validators {
  if (compiled) return compiled;
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv, ['date-time', 'byte']);
  // The swagger's numeric formats: any JSON number is a double; int32 is a whole number in range.
  ajv.addFormat('double', { type: 'number', validate: () => true });
  ajv.addFormat('int32', { type: 'number', validate: (n: number) => Number.isInteger(n) && n >= -(2 ** 31) && n < 2 ** 31 });
  const swagger = JSON.parse(readFileSync(schemaPath('bot-connector-api.swagger.json'), 'utf8')) as { definitions: Record<string, unknown> };
  const definitions = openContract(swagger.definitions) as Record<string, Record<string, any>>;
  // What Teams sends that the contract types more narrowly than Teams uses it: an invoke's or event's `value` is
  // whatever its name says (checked per invoke below), and an attachment's `content` is a string for `text/html`.
  delete definitions.Activity.properties.value;
  delete definitions.Attachment.properties.content.type;
  const schemas = activitySchemas();
  compiled = {
    connector: ajv.compile({ definitions, $ref: '#/definitions/Activity' }),
    firebreak: ajv.compile(schemas.activity),
    invokes: new Map(Object.entries(schemas.invokes).map(([name, schema]) => [name, ajv.compile(schema)])),
  };
  return compiled;
}

/**
 * The swagger definitions as JSON Schema that accepts what the Bot Connector accepts: enums marked `modelAsString`
 * are open (new values are allowed by contract), `x-nullable` allows null, other `x-` extensions are dropped.
 */
function openContract(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(openContract);
  if (typeof node !== 'object' || node === null) return node;
  const n = node as Record<string, any>;
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(n)) {
    if (key.startsWith('x-') || key === 'description') continue;
    if (key === 'enum' && n['x-ms-enum']?.modelAsString) continue;
    out[key] = openContract(value);
  }
  if (n['x-nullable'] && typeof n.type === 'string') out.type = [n.type, 'null'];
  return out;
}

/** Ajv's errors as one line naming the fields: all missing ones together, else the first wrong one. */
function reason(errors: ErrorObject[] | null | undefined): string {
  const list = errors ?? [];
  const missing = list.filter((e) => e.keyword === 'required').map((e) => join(path(e), e.params.missingProperty as string));
  if (missing.length) return `the activity is missing ${[...new Set(missing)].join(', ')}`;
  const first = list.find((e) => e.keyword !== 'if') ?? list[0];
  if (!first) return 'the activity is malformed';
  const at = path(first) || 'the activity';
  switch (first.keyword) {
    case 'type':
      return `${at} must be ${article(String(first.params.type).replace(',', ' or '))}`;
    case 'minLength':
      return `${at} must not be empty`;
    case 'format':
      return `${at} must be ${article(String(first.params.format))}`;
    case 'pattern':
      return `${at} must be printable ASCII, as Teams ids are`;
    case 'const':
      return `${at} must be ${JSON.stringify(first.params.allowedValue)}`;
    default:
      return `${at} ${first.message ?? 'is not valid'}`;
  }
}

const path = (e: ErrorObject) => e.instancePath.split('/').slice(1).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~')).join('.');
const join = (parent: string, child: string) => (parent ? `${parent}.${child}` : child);
const article = (type: string) => (/^[aeio]/.test(type) ? `an ${type}` : `a ${type}`);
