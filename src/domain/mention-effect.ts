import type { Conversation, Person } from './values';

/** Where the member goes in the command: `ChangeCommander.to`, `AssignRole.person`, the owner of a postmortem or follow-up. */
export type PersonField = 'to' | 'person' | 'owner';

/**
 * A chat command that names someone (`ic @Bob`, `role comms @Bob`, `postmortem @Bob`), taken before Teams has said
 * who Bob is: the HTTP answer does not wait for the Bot Connector (issue 15 item 1). The worker looks the mention up
 * in the conversation's team or chat, then runs `command` with the member at `personAt`; `notMember` is the refusal
 * when Teams says they are not there. `{name}` in a text is the member's name.
 */
export interface RunWithMember {
  key: string;
  incidentId: string;
  notBefore?: string;
  coalesce?: boolean;
  kind: 'chat.mention';
  payload: {
    conversation: Conversation;
    replyToId?: string;
    mention: Person;
    command: { type: string } & Record<string, unknown>;
    personAt: PersonField;
    at: string;
    by: Person;
    say: { notMember: string; unchanged: string; changed?: 'followup' };
  };
}
