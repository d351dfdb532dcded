/**
 * The web links the emulator hands out for what it makes: Teams' own shapes by default (they lead nowhere off
 * Microsoft's network), or, in local mode, pages of the local sandbox that show the emulated channel and meeting.
 */
export interface GraphLinks {
  channel(c: { teamId: string; id: string; displayName: string; tenantId: string }): string;
  meeting(m: { threadId: string; organizerId: string; tenantId: string }): string;
}

export const teamsLinks: GraphLinks = {
  channel: (c) => `https://teams.microsoft.com/l/channel/${encodeURIComponent(c.id)}/${encodeURIComponent(c.displayName)}?groupId=${c.teamId}&tenantId=${c.tenantId}`,
  meeting: (m) => `https://teams.microsoft.com/l/meetup-join/${encodeURIComponent(m.threadId)}/0?context=${encodeURIComponent(JSON.stringify({ Tid: m.tenantId, Oid: m.organizerId }))}`,
};

/** Links to the sandbox pages under `base` (Firebreak's local address): /sandbox/channels/<id>, /sandbox/meetings/<thread id>. */
export function sandboxLinks(base: string): GraphLinks {
  const root = base.replace(/\/+$/, '');
  return {
    channel: (c) => `${root}/sandbox/channels/${encodeURIComponent(c.id)}`,
    meeting: (m) => `${root}/sandbox/meetings/${encodeURIComponent(m.threadId)}`,
  };
}
