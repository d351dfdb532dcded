/** The Docs add-on, called as Google's add-on host calls it (signed request): for the sidebar beside the doc. */
export type SidebarCall = (docId: string, action?: { parameters?: Record<string, string>; formInputs?: Record<string, string> }) => Promise<{ status: number; body: any; problems: string[] }>;

/** The sidebar's answer reduced to what the page shows: the card to render and the notification. */
export async function sidebarAnswer(call: SidebarCall, input: unknown): Promise<{ status: number; body: unknown }> {
  const req = (input ?? {}) as { docId?: unknown; parameters?: unknown; formInputs?: unknown };
  if (typeof req.docId !== 'string' || !req.docId) return { status: 400, body: { error: 'docId is required' } };
  const strings = (o: unknown) =>
    o && typeof o === 'object' ? Object.fromEntries(Object.entries(o).filter(([, v]) => typeof v === 'string')) as Record<string, string> : undefined;
  const answer = await call(req.docId, { parameters: strings(req.parameters), formInputs: strings(req.formInputs) });
  const action = answer.body?.renderActions?.action ?? answer.body?.action;
  const nav = action?.navigations?.[0];
  return {
    status: 200,
    body: { status: answer.status, card: nav?.updateCard ?? nav?.pushCard, notification: action?.notification?.text, problems: answer.problems },
  };
}
