import type { Card } from './widgets';

/**
 * The answers an HTTP add-on gives (https://developers.google.com/workspace/add-ons/reference/callback-contract).
 * Triggers (homepage, file scope granted) push the first card, as Google's Node quickstart does; widget actions
 * answer with `renderActions`, as its card-action samples do.
 */
export type AddonResponse = Record<string, unknown>;

export function pushCard(card: Card): AddonResponse {
  return { action: { navigations: [{ pushCard: card }] } };
}

export function updateCard(card: Card, notification?: string): AddonResponse {
  return { renderActions: { action: { navigations: [{ updateCard: card }], ...(notification ? { notification: { text: notification } } : {}) } } };
}

/** Docs shows its own "allow access to this file" dialog, then calls `docs.onFileScopeGrantedTrigger`. */
export function requestFileScope(): AddonResponse {
  return { renderActions: { hostAppAction: { editorAction: { requestFileScopeForActiveDocument: {} } } } };
}
