import type { Incidents } from '../app/incidents';
import type { Conversation, ResourceKind } from '../domain/incident';
import type { Logger } from '../log';
import type { Store } from '../store/store';
import type { CardPace } from './card-pace';
import type { Publish } from '../status/publish';
import type { Experts } from '../oncall/experts';
import type { OrgFile } from '../org/schema';
import type { FollowUpSettings } from '../org/followups';
import type { PublishCards } from '../status/publish-card';
import type { PostmortemDocs } from '../google/postmortem-docs';
import type { Paging } from '../paging/pages';
import type { Alerts } from '../alerts/start';

export interface BotDeps {
  incidents: Incidents;
  store: Store;
  log: Logger;
  now: () => Date;
  newId: () => string;
  /** Where every new incident's card also goes (the announcements channel); none in local mode. */
  announceIn?: (origin: Conversation) => Conversation[];
  /** Resources the adapters will assemble for a new incident (shown as "assembling"). */
  provisioning?: ResourceKind[];
  /** Whether declarations and follow-ups are mailed to the incidents list. */
  mail?: boolean;
  /** When card copies may be rewritten; card buttons tell it whom they answered. */
  cardPace?: CardPace;
  /** How far back a declaration is compared with active incidents of its team (minutes; 0 or unset: not at all). */
  similarWindowMinutes?: number;
  /** Publishes to the status page (src/status/publish.ts); absent without an organisation file. */
  publish?: Publish;
  /** The services directory and who is on call (src/oncall/); absent without an organisation file. */
  experts?: Experts;
  /** The organisation file: audiences and their templates for `update` (src/audiences/); absent without one. */
  org?: OrgFile;
  /**
   * The follow-up settings commands decide with (src/startup-warnings.ts followUpsInForce: without the Planner plan
   * while Graph cannot sign in); absent: the organisation file's.
   */
  followUps?: () => FollowUpSettings;
  /** The status page's public address, for templates' {{status_page_url}}. */
  statusUrl?: string;
  /** The card's "Publish to status page" form (src/status/publish-card.ts). */
  publishCards?: PublishCards;
  /** The postmortem doc (read for the blameless check and the summary) and whether review meetings can be made. */
  postmortem?: { docs?: PostmortemDocs; review: boolean };
  /** Paging the on-call people of a service (src/paging/); absent without services in the organisation file. */
  paging?: Paging;
  /**
   * How long the reply to a command waits for this process to send it before any worker may (the effect lease: a
   * claim taken right after the answer lapses no later).
   */
  replyGraceMs?: number;
  /** Monitoring alerts (src/alerts/): their cards' buttons, and where Firebreak was last addressed. */
  alerts?: Alerts;
}
