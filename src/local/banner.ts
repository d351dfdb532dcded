/**
 * The block `npm start` prints once everything runs (the README shows it verbatim: a unit test holds them together).
 * It says how to send a command in a channel, because that is where newcomers lose the first minutes: only a
 * mention picked from the mention list reaches the bot. "Bots in a group or channel only receive messages when
 * they're mentioned @botname. They don't receive any other messages sent to the conversation." (learn.microsoft.com,
 * microsoftteams/platform/concepts/bots/bot-conversations/bots-conv-channel); the Playground does the same. Typed or
 * pasted "@Firebreak" text is plain text, not a mention entity, so the message never reaches Firebreak and it
 * cannot say why.
 */
export const DECLARE_COMMAND_ID = 'declareIncident';

export function readyBanner(where: { playgroundUrl: string; sandboxUrl: string; dataDir: string }): string {
  return [
    '',
    'Firebreak is running locally: no credentials, nothing leaves this machine.',
    `  Teams (Agents Playground)  ${where.playgroundUrl}`,
    '    open "Ops > General", type @ and PICK Firebreak from the mention list, then: declare sev2 Checkout API returning 500s',
    '    (typed or pasted "@Firebreak" text is not a mention: the message never reaches Firebreak, and nothing says so)',
    `    or the message extension: "…" on a message > Action Command, command id ${DECLARE_COMMAND_ID}`,
    `  Sandbox (doc, channel, bridge, mail)  ${where.sandboxUrl}`,
    `  Data  ${where.dataDir}`,
    '  Stop  Ctrl+C',
    '',
  ].join('\n');
}
