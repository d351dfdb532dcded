import Ajv, { type ValidateFunction } from 'ajv';
import { readFileSync } from 'node:fs';
import { schemaPath } from '../../schemas';

/**
 * What the add-on host accepts from an HTTP add-on, checked the way Google's renderer would: the card against the
 * `GoogleAppsCardV1Card` schema (and those it refers to) of the vendored Chat discovery document (the same card model serves Chat and add-ons),
 * the envelope (`renderActions` / `action` / `hostAppAction`) against the shape in the add-ons endpoint reference
 * (https://developers.google.com/workspace/add-ons/reference/callback-contract), which no discovery document carries.
 * Discovery documents are not JSON Schema, so each `GoogleAppsCardV1*` schema is converted: `$ref` by name, enums,
 * int64 as string or number, and no undeclared fields (a typo must fail here, not render as nothing in the sidebar).
 */
type Discovery = { $ref?: string; type?: string; format?: string; enum?: string[]; properties?: Record<string, Discovery>; items?: Discovery; additionalProperties?: Discovery };
type JsonSchema = Record<string, unknown>;

const CARD = 'GoogleAppsCardV1Card';

function convert(s: Discovery): JsonSchema {
  if (s.$ref) return { $ref: `#/definitions/${s.$ref}` };
  switch (s.type) {
    case 'object':
      return {
        type: 'object',
        properties: Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, convert(v)])),
        additionalProperties: s.additionalProperties ? convert(s.additionalProperties) : false,
      };
    case 'array':
      return { type: 'array', items: convert(s.items ?? {}) };
    case 'string':
      if (s.format === 'int64' || s.format === 'uint64') return { type: ['string', 'integer'], pattern: '^-?\\d+$' };
      return s.enum ? { type: 'string', enum: s.enum } : { type: 'string' };
    case 'integer':
    case 'number':
    case 'boolean':
      return { type: s.type };
    default:
      return {};
  }
}

const card = { $ref: `#/definitions/${CARD}` };
const closed = (properties: Record<string, unknown>, required: string[] = []) => ({ type: 'object', properties, required, additionalProperties: false });
/** RenderActions (google.apps.script.type / add-ons reference): what the sidebar does with the answer. */
const renderActions = {
  ...closed({
    action: closed({
      navigations: {
        type: 'array',
        minItems: 1,
        items: { ...closed({ pushCard: card, updateCard: card, popCard: { type: 'boolean' }, popToRoot: { type: 'boolean' }, popToCard: { type: 'string' } }), minProperties: 1, maxProperties: 1 },
      },
      notification: closed({ text: { type: 'string', minLength: 1 } }, ['text']),
      link: closed({ url: { type: 'string' }, openAs: { enum: ['FULL_SIZE', 'OVERLAY'] }, onClose: { enum: ['NOTHING', 'RELOAD'] } }, ['url']),
    }),
    hostAppAction: closed({ editorAction: closed({ requestFileScopeForActiveDocument: closed({}) }, ['requestFileScopeForActiveDocument']) }),
  }),
  minProperties: 1,
};

/** The card schema and every schema it refers to (a few live outside the GoogleAppsCardV1 prefix, like Color). */
function reachable(schemas: Record<string, Discovery>, root: string, seen = new Set<string>()): Set<string> {
  if (seen.has(root)) return seen;
  seen.add(root);
  const visit = (s: Discovery | undefined): void => {
    if (!s) return;
    if (s.$ref) reachable(schemas, s.$ref, seen);
    Object.values(s.properties ?? {}).forEach(visit);
    visit(s.items);
    visit(s.additionalProperties);
  };
  visit(schemas[root]);
  return seen;
}

let compiled: { response: ValidateFunction; card: ValidateFunction } | undefined;

function validators() {
  if (compiled) return compiled;
  const discovery = JSON.parse(readFileSync(schemaPath('google-chat-v1.discovery.json'), 'utf8')) as { schemas: Record<string, Discovery> };
  const definitions = Object.fromEntries([...reachable(discovery.schemas, CARD)].map((name) => [name, convert(discovery.schemas[name])]));
  const ajv = new Ajv({ allErrors: true, strict: false });
  compiled = {
    response: ajv.compile({ definitions, anyOf: [closed({ renderActions }, ['renderActions']), renderActions] }),
    card: ajv.compile({ definitions, ...card }),
  };
  return compiled;
}

/** Problems with an add-on's answer, as paths and messages; empty when the host would render it. */
export function addonResponseErrors(body: unknown): string[] {
  const validate = validators().response;
  if (!validate(body)) return messages(validate);
  const actions = (body as { renderActions?: unknown }).renderActions ?? body;
  const navigations = ((actions as { action?: { navigations?: Record<string, unknown>[] } }).action?.navigations ?? []);
  return navigations.flatMap((n, i) => ['pushCard', 'updateCard'].filter((k) => n[k]).flatMap((k) => rules(n[k], `/navigations/${i}/${k}`)));
}

/** Problems with one card (GoogleAppsCardV1Card). */
export function cardErrors(input: unknown): string[] {
  const validate = validators().card;
  return validate(input) ? rules(input, '') : messages(validate);
}

function messages(validate: ValidateFunction): string[] {
  return (validate.errors ?? []).map((e) => `${e.instancePath || '/'} ${e.message}${e.params && 'additionalProperty' in e.params ? ` (${e.params.additionalProperty})` : ''}`);
}

/**
 * Rules the proto states but a schema cannot: a widget and an onClick are each a `oneof` (exactly one kind), a card
 * holds at most 100 widgets (the Card description), and an HTTP add-on's action `function` is the URL to call.
 */
const WIDGET_KINDS = ['textParagraph', 'image', 'decoratedText', 'buttonList', 'textInput', 'selectionInput', 'dateTimePicker', 'divider', 'grid', 'columns', 'carousel', 'chipList'];
const ON_CLICK_KINDS = ['action', 'openLink', 'openDynamicLinkAction', 'card', 'overflowMenu'];

function rules(input: unknown, at: string): string[] {
  const problems: string[] = [];
  let widgets = 0;
  const walk = (node: unknown, path: string, parentKey: string) => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${path}/${i}`, parentKey));
    if (typeof node !== 'object' || node === null) return;
    const o = node as Record<string, unknown>;
    if (parentKey === 'widgets') {
      widgets++;
      const kinds = WIDGET_KINDS.filter((k) => k in o);
      if (kinds.length !== 1) problems.push(`${path} a widget must have exactly one kind (has ${kinds.join(', ') || 'none'})`);
    }
    if (parentKey === 'onClick') {
      const kinds = ON_CLICK_KINDS.filter((k) => k in o);
      if (kinds.length !== 1) problems.push(`${path} onClick must have exactly one of ${ON_CLICK_KINDS.join(', ')}`);
    }
    if (parentKey === 'action' && typeof o.function === 'string' && !/^https?:\/\/[^/]/.test(o.function)) {
      problems.push(`${path}/function must be the URL of the HTTP endpoint to call (got "${o.function}")`);
    }
    for (const [k, v] of Object.entries(o)) walk(v, `${path}/${k}`, k);
  };
  walk(input, at, '');
  if (widgets > 100) problems.push(`${at || '/'} has ${widgets} widgets; a card holds at most 100`);
  return problems;
}
