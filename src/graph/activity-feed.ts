import type { Client } from '@microsoft/microsoft-graph-client';
import { call, type Operation } from './errors';

export interface ActivityNotification {
  /** The recipient's Microsoft Entra object id. */
  userId: string;
  /** Declared in the app manifest's `activities.activityTypes` (appPackage/manifest.json). */
  activityType: string;
  /** The notification's topic as text, and where selecting it goes (required with a text topic). */
  topic: { value: string; webUrl: string };
  /** Teams shows the first 150 characters. */
  previewText: string;
  /** The values of the activity type's `templateText` variables. */
  templateParameters: Record<string, string>;
}

const SEND: Operation = {
  what: "send a Teams activity-feed notification",
  needs: 'the application permission TeamsActivity.Send with admin consent, and the app installed for the user',
};

/**
 * `POST /users/{userId}/teamwork/sendActivityNotification` (userteamwork-sendactivitynotification, v1.0): answered
 * 204 No Content. A `text` topic must carry `webUrl` (teamworkActivityTopic); `activityType` must be declared in the
 * manifest; the app must be installed for the recipient.
 */
export async function sendActivityNotification(client: Client, n: ActivityNotification, signal?: AbortSignal): Promise<void> {
  await call(SEND, () =>
    client
      .api(`/users/${encodeURIComponent(n.userId)}/teamwork/sendActivityNotification`)
      .option('signal', signal)
      .post({
        topic: { source: 'text', value: n.topic.value, webUrl: n.topic.webUrl },
        activityType: n.activityType,
        previewText: { content: n.previewText.slice(0, 150) },
        templateParameters: Object.entries(n.templateParameters).map(([name, value]) => ({ name, value })),
      }),
  );
}
