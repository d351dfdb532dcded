import type { Client } from '@microsoft/microsoft-graph-client';
import { call, type Operation } from './errors';

export interface MailRequest {
  /** The mailbox it is sent from: a user id or userPrincipalName. */
  sender: string;
  to: string[];
  subject: string;
  text: string;
  /** The effect key, sent as a header so a duplicate (a retry after a lost 202) can be recognised. */
  key: string;
}

const SEND: Operation = {
  what: 'send the announcement email',
  needs: 'the application permission Mail.Send with admin consent (and, where Exchange limits app access, a policy covering the sender mailbox)',
};

/**
 * `POST /users/{sender}/sendMail`, plain text, answered 202 Accepted with no body (user-sendmail).
 * sendMail has no idempotency key, so an outcome Firebreak cannot know is retried and may send twice:
 * a crash between the 202 and recording it, a 202 lost with the connection, a 504 from a gateway.
 */
export async function sendMail(client: Client, req: MailRequest): Promise<void> {
  await call(SEND, () =>
    client.api(`/users/${encodeURIComponent(req.sender)}/sendMail`).post({
      message: {
        subject: req.subject,
        body: { contentType: 'Text', content: req.text },
        toRecipients: req.to.map((address) => ({ emailAddress: { address } })),
        internetMessageHeaders: [{ name: 'X-Firebreak-Key', value: req.key }],
      },
      saveToSentItems: true,
    }),
  );
}
