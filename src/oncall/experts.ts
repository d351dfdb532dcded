import type { OrgFile } from '../org/schema';
import { fileOnCallSource } from './file-source';
import type { OnCallSource } from './source';

/** What the bot and the experts page read: the file's services and people, and where on-call comes from. */
export interface Experts {
  org: OrgFile;
  source: OnCallSource;
  /** The experts page (`<PUBLIC_URL>/experts`), linked from the card. */
  pageUrl?: string;
}

/** The file as its own on-call source; a PagerDuty or Opsgenie source would be chosen here by a setting. */
export function createExperts(org: OrgFile | undefined, publicUrl: string): Experts | undefined {
  if (!org) return undefined;
  return { org, source: fileOnCallSource(org), pageUrl: `${publicUrl}/experts` };
}
