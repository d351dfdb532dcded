import type { Client } from '@microsoft/microsoft-graph-client';
import { call, classifyGraphError, statusOf, type Operation } from './errors';

export interface MailRequest {
  /** The mailbox it is sent from: a user id or userPrincipalName. */
  sender: string;
  to: string[];
  subject: string;
  text: string;
  /** The effect key: stamped on the message so a retry can find out whether it went (findSentMail). */
  key: string;
  /** Files sent with it (an .ics invitation): `content` is the file's text, base64-encoded here as Graph wants it. */
  attachments?: { name: string; contentType: string; content: string }[];
}

/**
 * Firebreak's own named MAPI property (its own property-set GUID and a name) carrying the effect key. Exchange keeps
 * extended properties on the message and on its Sent Items copy, and can filter on them, which sendMail alone does
 * not offer: it has no idempotency key. The format is Graph's "String {GUID} Name <name>" (extended-properties-overview).
 */
export const EFFECT_KEY_PROPERTY = 'String {9f18fe94-c6fe-4530-9d1f-aea6e95667ec} Name FirebreakEffectKey';

const SEND: Operation = {
  what: 'send the announcement email',
  needs: 'the application permission Mail.Send with admin consent (and, where Exchange limits app access, a policy covering the sender mailbox)',
};
const LOOK: Operation = {
  what: 'look for an announcement email already sent',
  needs: 'the application permission Mail.Read, scoped to the sender mailbox',
};

/**
 * `POST /users/{sender}/sendMail`, plain text, answered 202 Accepted with no body (user-sendmail). The effect key goes
 * as an extended property (for findSentMail) and as an `X-Firebreak-Key` header (for readers and mail rules).
 */
export async function sendMail(client: Client, req: MailRequest, signal?: AbortSignal): Promise<void> {
  await call(SEND, () =>
    client
      .api(`/users/${encodeURIComponent(req.sender)}/sendMail`)
      .option('signal', signal)
      .post({
        message: {
          subject: req.subject,
          body: { contentType: 'Text', content: req.text },
          toRecipients: req.to.map((address) => ({ emailAddress: { address } })),
          internetMessageHeaders: [{ name: 'X-Firebreak-Key', value: req.key }],
          singleValueExtendedProperties: [{ id: EFFECT_KEY_PROPERTY, value: req.key }],
          // "@odata.type": "#microsoft.graph.fileAttachment" with name and base64 contentBytes (fileAttachment resource).
          ...(req.attachments?.length && {
            attachments: req.attachments.map((a) => ({ '@odata.type': '#microsoft.graph.fileAttachment', name: a.name, contentType: a.contentType, contentBytes: Buffer.from(a.content, 'utf8').toString('base64') })),
          }),
        },
        saveToSentItems: true,
      }),
  );
}

/**
 * Looks the key up in the sender's Sent Items before a retry sends again:
 * `GET /users/{sender}/mailFolders/sentitems/messages?$filter=singleValueExtendedProperties/Any(ep: ep/id eq '…' and
 * ep/value eq '…')` (singlevaluelegacyextendedproperty-get; the value compare is case-insensitive, the name's not).
 * Without Mail.Read (403) the answer is 'unknown': the caller then sends, as it would have without the check.
 */
export async function findSentMail(client: Client, sender: string, key: string, signal?: AbortSignal): Promise<'sent' | 'not-found' | 'unknown'> {
  const quote = (s: string) => s.replace(/'/g, "''");
  try {
    const page = (await client
      .api(`/users/${encodeURIComponent(sender)}/mailFolders/sentitems/messages`)
      .option('signal', signal)
      .filter(`singleValueExtendedProperties/Any(ep: ep/id eq '${quote(EFFECT_KEY_PROPERTY)}' and ep/value eq '${quote(key)}')`)
      .select('id')
      .top(1)
      .get()) as { value: unknown[] };
    return page.value.length ? 'sent' : 'not-found';
  } catch (err) {
    if (statusOf(err) === 403) return 'unknown';
    throw classifyGraphError(err, LOOK);
  }
}
