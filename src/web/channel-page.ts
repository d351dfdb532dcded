import type { Incident } from '../domain/incident';
import { incidentLabel, type Message } from '../domain/messages';
import type { StoredEffect } from '../store/store';
import { esc, link, linkify, notFound, page, utcTime, type WebAnswer } from './html';
import type { SandboxSources } from './sandbox-state';

/**
 * /sandbox/channels/<id>: the emulated incident channel. Graph holds only the channel itself (no messages: Firebreak
 * posts through the Bot Connector, not Graph), so the page shows the channel as Graph has it and, as its messages,
 * what Firebreak posted for the incident: in a tenant those land in this channel; in local mode in the Agents
 * Playground conversation where the incident was declared.
 */
export async function channelPage(src: SandboxSources, channelId: string, playgroundUrl?: string): Promise<WebAnswer> {
  const channel = src.graph?.channels().find((c) => c.id === channelId);
  if (!channel) return notFound(`The emulated Graph has no channel ${channelId}.`);
  const incidentId = /\[firebreak:([^\]]+)\]/.exec(channel.description ?? '')?.[1];
  const incident = incidentId ? await src.store.load(incidentId) : null;
  const team = src.graph?.tenant.teams.find((t) => t.id === channel.teamId);
  const members = channel.members.map((m) => {
    const user = src.graph?.tenant.users.find((u) => u.id === m.userId);
    return `${user?.displayName ?? m.userId}${m.roles.length ? ` (${m.roles.join(', ')})` : ''}`;
  });
  const facts = [
    ['Team', team?.displayName ?? channel.teamId],
    ['Kind', channel.membershipType === 'private' ? 'private channel: only its members see it' : 'standard channel: everyone in the team sees it'],
    ['Created', utcTime(channel.createdDateTime)],
    ['Description', channel.description ?? ''],
    ...(members.length ? [['Members', members.join(', ')]] : []),
  ];
  const posted = incident ? await messagesOf(src, incident) : [];
  const where = playgroundUrl ? link(playgroundUrl, 'the Agents Playground', ' target="_blank"') : 'the Agents Playground';
  return page(
    `#${channel.displayName}`,
    `<header><h1>#${esc(channel.displayName)}</h1><p>An incident channel in the emulated Microsoft Graph. ${link('/sandbox', 'Back to the sandbox')}</p></header>
<main><section class="panel"><h2>The channel</h2><dl class="facts-list">${facts.map(([k, v]) => `<dt>${esc(k)}</dt><dd>${esc(v)}</dd>`).join('')}</dl>
${incident ? `<p>For ${link(`/sandbox#inc-${incident.number}`, `${incidentLabel(incident)}: ${incident.title}`)} (${esc(incident.status)}).</p>` : ''}</section>
<section class="panel"><h2>Messages</h2>
<p class="meta">In a tenant, Firebreak posts the incident card and every follow-up here. In local mode they go to the conversation in ${where} where the incident was declared; these are the same messages.</p>
${posted.length ? `<ol class="messages">${posted.join('')}</ol>` : '<p class="empty">Nothing posted yet.</p>'}</section></main>`,
  );
}

/** What Firebreak posted for the incident, oldest first: the card, then each follow-up (its outbox, done). */
async function messagesOf(src: SandboxSources, incident: Incident): Promise<string[]> {
  const effects = (await src.store.effects({ incidentId: incident.id })).filter((e) => e.outcome === 'done').sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  return effects.flatMap((e: StoredEffect) => {
    const at = `<time>${esc(utcTime(e.createdAt))}</time>`;
    if (e.kind === 'card.post') return [`<li>${at}<br><b>The incident card</b> (${esc(incidentLabel(incident))}), kept up to date in place.</li>`];
    if (e.kind !== 'message.post') return [];
    const { message } = e.payload as { message: Message };
    return [`<li>${at}<br><b>${esc(message.subject)}</b>\n${message.lines.map(linkify).join('\n')}</li>`];
  });
}
