import type { Incident } from '../../domain/incident';
import { incidentLabel } from '../../domain/messages';
import type { Page, Pagee } from '../../domain/paging';
import type { PageEffect } from '../../domain/paging-effects';
import type { Graph } from '../../graph/graph';
import type { Logger } from '../../log';
import { describe, failureKind, OutsideError } from '../../outside-error';
import { pageCard, pageMail } from '../../paging/page-card';
import type { ClaimedEffect, Store } from '../../store/store';
import { ADAPTIVE_CARD_CONTENT_TYPE } from '../../teams/cards';
import type { DirectChats } from '../../teams/direct-chat';
import { sendMailOnce } from './mail-once';

/** The activity type declared in the manifest's `activities.activityTypes` for a page. */
export const PAGE_ACTIVITY_TYPE = 'paged';

export interface PageNotifyDeps {
  store: Store;
  /** The bot's 1:1 chats; absent when Firebreak has no Teams connection to open them with. */
  chats?: DirectChats;
  /** Where to open the 1:1 from: the Bot Connector service URL and the tenant (the incident's, else the default). */
  teamsTarget: (page: Page, incident: Incident | null) => { serviceUrl: string; tenantId: string } | undefined;
  graph?: Graph;
  mailSender?: string;
  /** Firebreak's public address, where the activity-feed notification leads without an incident channel. */
  publicUrl: string;
  now: () => Date;
  log: Logger;
}

interface Progress {
  conversationId?: string;
  activityId?: string;
  chatFailed?: string;
  feed?: string;
}

/**
 * Notifies one paged person, each way once (progress kept on the effect, docs/reliability.md): (a) the page card in a
 * 1:1 chat the bot opens; (b) an activity-feed notification where the tenant permits it (a refusal is noted, not a
 * failure of the page); (c) mail when the 1:1 could not be had (no Entra id, the app not installed for them). A page
 * that has moved on (answered, or the next step called) sends nothing.
 */
export function pageNotify(deps: PageNotifyDeps) {
  return async (effect: ClaimedEffect, signal: AbortSignal): Promise<void> => {
    const { pageId, step, person } = effect.payload as Extract<PageEffect, { kind: 'page.notify' }>['payload'];
    const progress = effect.payload as Progress;
    const page = await deps.store.paging.load(pageId);
    if (!page || page.status !== 'open' || page.step !== step) return;
    const incident = page.incidentId ? await deps.store.load(page.incidentId) : null;
    // Resolved meanwhile: nobody is called for an incident that is over (an answer would be refused anyway).
    if (incident?.status === 'resolved') return;

    let delivered = Boolean(progress.activityId);
    let chatFailed = progress.chatFailed;
    if (!delivered && !chatFailed) {
      try {
        await chat(page, person, incident, progress, effect, signal);
        delivered = true;
      } catch (err) {
        if (failureKind(err) === 'retryable') throw err;
        chatFailed = describe(err);
        await deps.store.noteEffectProgress(effect, { chatFailed });
        deps.log.warn('page: the 1:1 chat could not be had; falling back to mail', { page: pageId, person: person.id, reason: chatFailed });
      }
    }
    if (deps.graph && person.aadObjectId && !progress.feed) {
      const feed = await activityFeed(page, person, incident, signal);
      await deps.store.noteEffectProgress(effect, { feed });
    }
    if (delivered) return;
    if (!deps.graph || !deps.mailSender || !person.email) {
      throw new OutsideError('permanent', `${person.name} could not be reached: ${chatFailed}; and no mail can be sent (${!person.email ? 'no address' : 'mail is not configured'})`);
    }
    const mail = pageMail(page, incident);
    await sendMailOnce({ store: deps.store, graph: deps.graph, sender: deps.mailSender, now: deps.now, log: deps.log }, effect, signal, { to: [person.email], subject: mail.subject, text: mail.text, what: 'page mail' });
  };

  async function chat(page: Page, person: Pagee, incident: Incident | null, progress: Progress, effect: ClaimedEffect, signal: AbortSignal): Promise<void> {
    if (!person.aadObjectId) throw new OutsideError('permanent', `${person.name} has no Microsoft Entra object id in the organisation file (aad_object_id)`);
    const target = deps.teamsTarget(page, incident);
    if (!deps.chats || !target) throw new OutsideError('permanent', 'Firebreak has no Teams connection to open a 1:1 chat with');
    const conversationId = progress.conversationId ?? (await deps.chats.open({ ...target, memberId: person.aadObjectId }, signal));
    if (!progress.conversationId) await deps.store.noteEffectProgress(effect, { conversationId });
    const summary = `Paged for ${page.service}${incident ? ` (${incidentLabel(incident)})` : ''}`;
    const activityId = await deps.chats.send({ ...target, conversationId }, { type: 'message', summary, attachments: [{ contentType: ADAPTIVE_CARD_CONTENT_TYPE, content: pageCard(page, person, incident) }] }, signal);
    await deps.store.noteEffectProgress(effect, { activityId });
  }

  /** 'sent', or why not: a refusal (403: no TeamsActivity.Send, the app not installed) does not fail the page. */
  async function activityFeed(page: Page, person: Pagee, incident: Incident | null, signal: AbortSignal): Promise<string> {
    try {
      await deps.graph!.sendActivityNotification(
        {
          userId: person.aadObjectId!,
          activityType: PAGE_ACTIVITY_TYPE,
          topic: { value: incident ? `${incidentLabel(incident)}: ${incident.title}`.slice(0, 100) : `Page for ${page.service}`, webUrl: incident?.resources.channel?.url ?? `${deps.publicUrl}/experts` },
          previewText: `${page.requestedBy.name}: ${page.reason || `please help with ${page.service}`}`,
          templateParameters: { service: page.service },
        },
        signal,
      );
      return 'sent';
    } catch (err) {
      if (failureKind(err) === 'retryable') throw err;
      deps.log.warn('page: the activity-feed notification was refused', { page: page.id, person: person.id, reason: describe(err) });
      return `refused: ${describe(err)}`;
    }
  }
}
