import { readFileSync } from 'node:fs';
import { EXAMPLE_ORG_FILE, OrgFileError, parseOrgFile } from '../../src/org/load';
import { findService } from '../../src/org/services';

const EXAMPLE = readFileSync(EXAMPLE_ORG_FILE, 'utf8');
const problems = (source: string): string[] => {
  try {
    parseOrgFile(source, 'org.yml');
    return [];
  } catch (err) {
    if (err instanceof OrgFileError) return err.problems;
    throw err;
  }
};

describe('what alerts read from the organisation file', () => {
  it('the example: labels, the severity map (defaults kept, Azure\'s Sev0-4 too), each service\'s component and status page policy', () => {
    const org = parseOrgFile(EXAMPLE, 'org.yml');
    expect(org.alerts.serviceLabel).toBe('service');
    expect(org.alerts.severityLabel).toBe('severity');
    expect(org.alerts.severities).toMatchObject({ critical: 1, warning: 3, sev0: 1, sev3: 4 });
    expect(findService(org.services, 'checkout')).toMatchObject({ component: 'checkout', statusPage: 'ask' });
    expect(findService(org.services, 'payments')).toMatchObject({ component: 'payments', statusPage: 'auto' });
    expect(findService(org.services, 'search')).toMatchObject({ statusPage: 'ask' });
    expect(findService(org.services, 'search')?.component).toBeUndefined();
  });

  it('refuses an unknown policy and a severity outside 1-4 (the shape), and an unknown component (a cross-reference), each named', () => {
    const shape = problems(EXAMPLE.replace('status_page: auto ', 'status_page: always ').replace('warning: 3', 'warning: 7')).join('\n');
    expect(shape).toMatch(/services\.1\.status_page must be equal to one of the allowed values/);
    expect(shape).toMatch(/alerts\.severities\.warning must be equal to one of the allowed values/);
    expect(problems(EXAMPLE.replace('component: checkout ', 'component: basket ')).join('\n')).toMatch(/unknown status page component "basket" of "checkout" \(components: checkout, payments, search\)/);
  });
});
