import { TooDeep, wellFormedJson } from '../../text-safety';

/**
 * The parts of an add-on event object Firebreak reads
 * (https://developers.google.com/workspace/add-ons/reference/event-object), checked before anything uses them.
 */
export interface AddonEvent {
  hostApp: string;
  /** `commonEventObject.parameters`: the `action.parameters` of the widget used; empty for triggers. */
  parameters: Record<string, string>;
  /** The first value of each form input (`formInputs.<name>.stringInputs.value[0]`). */
  inputs: Record<string, string>;
  /** The open document, when the host is Docs. Without file scope Google sends only the permission flag. */
  doc?: { id?: string; title?: string; hasFileScope: boolean };
  /** IANA zone of the user (`timeZone.id`), for times on the card. */
  timeZone?: string;
  userIdToken?: string;
}

export type Parsed = { ok: true; event: AddonEvent } | { ok: false; reason: string };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A malformed body is named precisely, so whoever sent it can fix it (400). */
export function parseEvent(raw: unknown): Parsed {
  const fail = (reason: string): Parsed => ({ ok: false, reason });
  if (!isObject(raw)) return fail('the body must be a JSON event object');
  // NUL and unpaired surrogates become U+FFFD before anything reads the event: PostgreSQL refuses them.
  let body: Record<string, unknown>;
  try {
    body = wellFormedJson(raw);
  } catch (err) {
    if (err instanceof TooDeep) return fail(`the event is ${err.message}`);
    throw err;
  }
  const common = body.commonEventObject;
  if (!isObject(common)) return fail('the event has no commonEventObject');
  if (typeof common.hostApp !== 'string') return fail('commonEventObject.hostApp must be a string');

  const parameters = common.parameters ?? {};
  if (!isObject(parameters) || Object.values(parameters).some((v) => typeof v !== 'string')) {
    return fail('commonEventObject.parameters must map names to strings');
  }
  const inputs: Record<string, string> = {};
  const formInputs = common.formInputs ?? {};
  if (!isObject(formInputs)) return fail('commonEventObject.formInputs must be an object');
  for (const [name, input] of Object.entries(formInputs)) {
    const values = isObject(input) && isObject(input.stringInputs) ? input.stringInputs.value : undefined;
    if (!Array.isArray(values) || values.some((v) => typeof v !== 'string')) {
      return fail(`commonEventObject.formInputs.${name} must carry stringInputs.value, a list of strings`);
    }
    if (values.length) inputs[name] = values[0] as string;
  }

  const auth = body.authorizationEventObject;
  if (auth !== undefined && !isObject(auth)) return fail('authorizationEventObject must be an object');
  const userIdToken = auth?.userIdToken;
  if (userIdToken !== undefined && typeof userIdToken !== 'string') return fail('authorizationEventObject.userIdToken must be a string');

  let doc: AddonEvent['doc'];
  if (body.docs !== undefined) {
    if (!isObject(body.docs)) return fail('docs must be an object');
    const { id, title, addonHasFileScopePermission } = body.docs;
    if (id !== undefined && typeof id !== 'string') return fail('docs.id must be a string');
    if (title !== undefined && typeof title !== 'string') return fail('docs.title must be a string');
    if (addonHasFileScopePermission !== undefined && typeof addonHasFileScopePermission !== 'boolean') {
      return fail('docs.addonHasFileScopePermission must be a boolean');
    }
    // Google sends the flag every time; should it ever be missing, a doc id given is access enough.
    const hasFileScope = addonHasFileScopePermission ?? Boolean(id);
    doc = { ...(id ? { id } : {}), ...(title ? { title } : {}), hasFileScope };
  }
  const zone = isObject(common.timeZone) && typeof common.timeZone.id === 'string' ? common.timeZone.id : undefined;

  return {
    ok: true,
    event: {
      hostApp: common.hostApp,
      parameters: parameters as Record<string, string>,
      inputs,
      ...(doc ? { doc } : {}),
      ...(zone ? { timeZone: zone } : {}),
      ...(userIdToken ? { userIdToken } : {}),
    },
  };
}
