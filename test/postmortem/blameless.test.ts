import { blameFindings, sentences } from '../../src/postmortem/blameless';

describe('the blameless check flags sentences that make a person the cause', () => {
  it.each([
    'Jim pushed bad code.',
    'The on-call engineer forgot to renew the certificate.',
    'The outage happened because Sarah deployed on a Friday.',
    'Someone deleted the production database.',
    'He should have checked the dashboard first.',
    'A junior developer ran the wrong migration.',
    'It was human error.',
    "It was Dave's fault that the cache was flushed.",
    'The config change was pushed by Jim without review.',
    'Bob accidentally dropped the users table.',
    'The reviewer approved the change without reading it.',
    'Priya failed to follow the runbook.',
    'The operator mistyped the host name.',
    'The new intern misconfigured the load balancer.',
    'She ignored the alert for twenty minutes.',
    'Tom was careless with the rollout.',
    'The admin restarted the wrong cluster.',
    'Alex simply forgot the feature flag.',
  ])('flags: %s', (sentence) => {
    const [finding] = blameFindings(sentence);
    expect(finding).toBeDefined();
    expect(finding.sentence).toBe(sentence);
    expect(finding.suggestion.length).toBeGreaterThan(20);
  });

  it.each([
    'The deploy pipeline allowed an unreviewed change.',
    'The alert did not fire because its threshold was set above the normal peak.',
    'Monitoring missed the spike because it samples every five minutes.',
    'Kubernetes deleted the pod when the node ran out of memory.',
    'The certificate expired because renewal was a manual step with no reminder.',
    'Nothing checked the migration against production-sized data.',
    'The runbook did not mention the second cluster.',
    'A configuration change reached production without a canary.',
    'We had no alert on replication lag.',
    'The retry storm overloaded the database.',
    'The tests did not cover the empty-cart path.',
    'Postgres dropped connections once the pool was exhausted.',
    'The load balancer marked every backend unhealthy.',
    'Error rates rose after the 14:02 deploy.',
    'The console shows production and staging with the same colours.',
    'Customers saw 500s on checkout for 40 minutes.',
  ])('does not flag: %s', (sentence) => {
    expect(blameFindings(sentence)).toEqual([]);
  });

  it('checks each sentence of a paragraph on its own, and suggests in systems terms', () => {
    const findings = blameFindings('The deploy pipeline allowed an unreviewed change. Jim pushed bad code. The alert fired late.');
    expect(findings).toEqual([{ sentence: 'Jim pushed bad code.', because: 'Jim pushed', suggestion: expect.stringContaining('the deploy pipeline allowed an unreviewed change to reach production') }]);
    expect(sentences('One. Two!\nThree?')).toEqual(['One.', 'Two!', 'Three?']);
  });
});
