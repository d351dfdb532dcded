/**
 * The blameless check (issue 18 item 5, seed 004: "'Jim pushed bad code' should never be the takeaway of a
 * postmortem"; seed 002: "blame systems not people"). It reads the cause section's sentences and flags those that
 * make a person the cause — a name or a person's role doing the wrong thing, "human error", someone's fault — with
 * a suggestion in systems terms. It warns, never blocks: a flagged sentence may be fine, a missed one is possible.
 * Pure; no I/O.
 */
export interface BlameFinding {
  sentence: string;
  /** What in the sentence reads as blame, quoted. */
  because: string;
  suggestion: string;
}

type Kind = 'missed' | 'changed' | 'destroyed' | 'judged';

/** Verbs that, with a person as their subject, make that person the cause. */
const VERBS: Record<Exclude<Kind, 'judged'>, string[]> = {
  missed: ['forgot', 'forget', 'forgets', 'failed to', 'fails to', 'neglected', 'missed', 'overlooked', 'skipped', 'ignored', "didn't", 'did not', 'didnt', 'never', 'should have', "should've", 'was supposed to', 'was careless', 'wasn\'t careful', 'was not careful', 'was negligent', 'was sloppy', 'was distracted', 'was tired'],
  changed: ['pushed', 'deployed', 'merged', 'approved', 'shipped', 'released', 'committed', 'introduced', 'caused', 'broke', 'made a mistake', 'made an error', 'made a typo', 'messed up', 'screwed up'],
  destroyed: ['deleted', 'dropped', 'removed', 'ran the wrong', 'ran a wrong', 'typed', 'fat-fingered', 'misconfigured', 'mistyped', 'restarted the wrong', 'killed', 'truncated', 'overwrote', 'accidentally', 'mistakenly', 'carelessly', 'wrongly'],
};

/** Words for a person by their job: "the on-call engineer forgot …". */
const PERSON_NOUN = String.raw`(?:the|a|an|one|our|their|that|this|some)\s+(?:(?:on-?call|junior|senior|new|lead|responsible|release|staff|support|database|devops|backend|frontend|platform)\s+)*(?:engineer|developer|dev|operator|admin|administrator|sysadmin|intern|sre|employee|contractor|reviewer|manager|person|team member|teammate|colleague|programmer|tester|dba)s?`;
const PRONOUN = String.raw`(?:someone|somebody|he|she)`;
/** A capitalised word that is a person's name in that position, unless it is one of these (sentence openers, systems). */
const NOT_A_NAME = new Set(
  `the a an this that these those it its we our their there then after before when while because since during once if
  monitoring alerting deploy deployment deploys ci cd pipeline release config configuration kubernetes k8s postgres postgresql mysql redis kafka
  terraform ansible helm jenkins github gitlab aws azure gcp google microsoft cloudflare nginx envoy docker linux windows prometheus
  alertmanager grafana elasticsearch firebreak teams slack the api dns cdn tls ssl load balancer nobody everyone everybody no one
  production staging traffic latency errors error requests customers customer users user support`.split(/\s+/),
);

const ADVERBS = String.raw`(?:\s+(?:accidentally|mistakenly|carelessly|wrongly|then|just|simply|also|apparently|clearly|again|unfortunately))*`;

const ALL_VERBS = Object.values(VERBS).flat().sort((a, b) => b.length - a.length).map(escape).join('|');
const NAME = String.raw`[A-Z][a-z]+(?:\s+[A-Z]\.?)?`;
/** "Jim pushed", "the on-call engineer forgot", "because someone deleted". */
const SUBJECT_VERB = new RegExp(String.raw`(?:^|[\s,;:(])(?<subject>${PERSON_NOUN}|${PRONOUN}|(?<name>${NAME}))${ADVERBS}\s+(?<verb>${ALL_VERBS})\b`, 'gi');
/** The passive: "was pushed by Jim", "deployed by the new developer". */
const VERB_BY = new RegExp(String.raw`\b(?<verb>${ALL_VERBS})\s+by\s+(?<subject>${PERSON_NOUN}|(?<name>${NAME}))`, 'gi');

/** Blame without a verb: "human error", "Jim's fault", "to blame", "careless". */
const JUDGEMENTS: RegExp[] = [/\bhuman error\b/i, /\b(?:[A-Z][a-z]+'s|his|her|their)\s+(?:fault|mistake|error|negligence|carelessness)\b/, /\b(?:to blame|blamed|is at fault|was at fault)\b/i, /\b(?:careless|negligent|sloppy|incompetent|lazy)\b/i, /\bshould have known\b/i];

export function sentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+(?=[A-Z"“(])|\n+/)
    .map((s) => s.trim())
    .filter(Boolean);
}

/** The sentences of `text` that make a person the cause, each with a suggestion in systems terms. */
export function blameFindings(text: string): BlameFinding[] {
  return sentences(text).flatMap((sentence) => {
    const finding = check(sentence);
    return finding ? [finding] : [];
  });
}

function check(sentence: string): BlameFinding | undefined {
  for (const m of [...sentence.matchAll(SUBJECT_VERB), ...sentence.matchAll(VERB_BY)]) {
    const { subject, verb, name } = m.groups!;
    // A capitalised word counts as a name only where it can be one: not a system, not a sentence opener. (The
    // pattern is case-insensitive for the verbs and roles; a name must really start with a capital.)
    if (name !== undefined && (!/^[A-Z]/.test(name) || NOT_A_NAME.has(name.split(/\s+/)[0].toLowerCase()))) continue;
    return { sentence, because: m[0].trim().replace(/\s+/g, ' '), suggestion: SUGGESTION[kindOf(verb)] };
  }
  for (const j of JUDGEMENTS) {
    const hit = j.exec(sentence);
    if (hit) return { sentence, because: hit[0], suggestion: SUGGESTION.judged };
  }
  return undefined;
}

function kindOf(verb: string): Kind {
  const v = verb.toLowerCase();
  for (const kind of ['destroyed', 'changed', 'missed'] as const) if (VERBS[kind].includes(v)) return kind;
  return 'judged';
}

const SUGGESTION: Record<Kind, string> = {
  missed: 'Say what let the step be missed, e.g. "the runbook did not include the step" or "nothing checked it before the change went out".',
  changed: 'Say what let the change through, e.g. "the deploy pipeline allowed an unreviewed change to reach production" or "the tests did not cover this path".',
  destroyed: 'Say what made the action possible, e.g. "the tool ran a destructive command without a confirmation" or "production and staging looked the same in the console".',
  judged: 'Name the condition that made the error possible or likely, and what would have caught it; people acted on what they knew then.',
};

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/\s+/g, '\\s+');
}
