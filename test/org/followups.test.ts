import { readFileSync } from 'node:fs';
import { EXAMPLE_ORG_FILE, OrgFileError, parseOrgFile } from '../../src/org/load';

const EXAMPLE = readFileSync(EXAMPLE_ORG_FILE, 'utf8');
const WITHOUT = EXAMPLE.replace(/^followups:\n(  .*\n)+/m, '');

function problems(source: string): string[] {
  try {
    parseOrgFile(source, 'org.yml');
    return [];
  } catch (err) {
    if (err instanceof OrgFileError) return err.problems;
    throw err;
  }
}

describe("the organisation file's followups section", () => {
  it('the example sets Berlin and 09:00; without the section: 5 working days, the status page\'s zone, 09:00', () => {
    expect(parseOrgFile(EXAMPLE, 'org.yml').followUps).toEqual({ windowDays: 5, timeZone: 'Europe/Berlin', hour: 9 });
    expect(WITHOUT).not.toContain('followups:');
    expect(parseOrgFile(WITHOUT, 'org.yml').followUps).toEqual({ windowDays: 5, timeZone: 'Etc/UTC', hour: 9 });
  });

  it('names the line of an unknown time zone, a bad hour, an unknown key, and reads a Planner plan id', () => {
    expect(problems(EXAMPLE.replace('time_zone: Europe/Berlin', 'time_zone: Europe/Atlantis'))).toEqual([expect.stringMatching(/^org\.yml:\d+:\d+ unknown time zone "Europe\/Atlantis"/)]);
    expect(problems(EXAMPLE.replace('digest_hour: 9', 'digest_hour: 24'))).toEqual([expect.stringMatching(/^org\.yml:\d+:\d+ followups\.digest_hour must be <= 23/)]);
    expect(problems(EXAMPLE.replace('digest_hour: 9', 'digest_hour: 9\n  weekly: true'))).toEqual([expect.stringMatching(/unknown key "weekly" in followups/)]);
    expect(parseOrgFile(EXAMPLE.replace('digest_hour: 9', 'digest_hour: 9\n  planner_plan_id: xqQg5FS2LkCp935s-FIFm2QAFkHM'), 'org.yml').followUps?.plannerPlanId).toBe('xqQg5FS2LkCp935s-FIFm2QAFkHM');
  });

  it('reads the Planner read-back interval, which needs a plan to read', () => {
    const plan = 'digest_hour: 9\n  planner_plan_id: xqQg5FS2LkCp935s-FIFm2QAFkHM';
    expect(parseOrgFile(EXAMPLE.replace('digest_hour: 9', `${plan}\n  planner_poll_minutes: 15`), 'org.yml').followUps?.plannerPollMinutes).toBe(15);
    expect(parseOrgFile(EXAMPLE.replace('digest_hour: 9', plan), 'org.yml').followUps).not.toHaveProperty('plannerPollMinutes');
    expect(problems(EXAMPLE.replace('digest_hour: 9', 'digest_hour: 9\n  planner_poll_minutes: 15'))).toEqual([expect.stringMatching(/^org\.yml:\d+:\d+ reads tasks back from Planner, but no planner_plan_id is set/)]);
    expect(problems(EXAMPLE.replace('digest_hour: 9', `${plan}\n  planner_poll_minutes: 0`))).toEqual([expect.stringMatching(/followups\.planner_poll_minutes must be >= 1/)]);
  });
});
