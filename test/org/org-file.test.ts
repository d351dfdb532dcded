import { readFileSync } from 'node:fs';
import { EXAMPLE_ORG_FILE, loadOrgFile, OrgFileError, parseOrgFile } from '../../src/org/load';
import { render } from '../../src/org/template';

const EXAMPLE = readFileSync(EXAMPLE_ORG_FILE, 'utf8');

/** The problems a source gives, or [] when it loads. */
function problems(source: string): string[] {
  try {
    parseOrgFile(source, 'org.yml');
    return [];
  } catch (err) {
    if (err instanceof OrgFileError) return err.problems;
    throw err;
  }
}

/** The example with one line replaced (the first containing `find`). */
const edited = (find: string, replace: string) => {
  expect(EXAMPLE).toContain(find);
  return EXAMPLE.replace(find, replace);
};
const lineOf = (source: string, text: string) => source.split('\n').findIndex((l) => l.includes(text)) + 1;

describe('the organisation file', () => {
  it('the example in the repository loads: five audiences, one of them the status page', () => {
    const org = loadOrgFile(EXAMPLE_ORG_FILE);
    expect(org.audiences.map((a) => a.id)).toEqual(['core', 'support', 'leadership', 'employees', 'customers']);
    expect(org.audiences.filter((a) => a.channels.statusPage).map((a) => a.id)).toEqual(['customers']);
    expect(org.statusPage.components.map((c) => c.id)).toEqual(['checkout', 'payments', 'search']);
  });

  it('an unknown template variable stops the start at its line and column', () => {
    const source = edited('update: "{{components}}: {{summary}}"', 'update: "{{components}}: {{sumary}}"');
    const line = lineOf(source, '{{sumary}}');
    const col = source.split('\n')[line - 1].indexOf('{{sumary}}') + 1;
    expect(problems(source)).toEqual([expect.stringMatching(new RegExp(`^org\\.yml:${line}:${col} unknown template variable \\{\\{sumary\\}\\}`))]);
  });

  it('the internal title on the status page is refused', () => {
    const source = edited('body: "{{summary}} We apologise', 'body: "{{incident.title}} {{summary}} We apologise');
    expect(problems(source)).toEqual([expect.stringMatching(new RegExp(`^org\\.yml:${lineOf(source, '{{incident.title}} {{summary}} We')}:\\d+ \\{\\{incident.title\\}\\} is internal`))]);
  });

  it('an unknown key, a bad channel id and a missing section are named with their lines', () => {
    const source = edited('    channels:\n      mail: everyone@example.com', '    channel:\n      mail: everyone@example.com').replace('"19:core-oncall@thread.tacv2"', '"core-oncall"');
    const found = problems(source);
    expect(found).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`^org\\.yml:${lineOf(source, '    channel:')}:5 unknown key "channel"`)),
        expect.stringMatching(new RegExp(`^org\\.yml:${lineOf(source, '"core-oncall"')}:\\d+ audiences\\.0\\.channels\\.teams must match`)),
      ]),
    );
    expect(problems('status_page:\n  name: Acme\n  components: [{id: a, name: A}]\n')).toEqual([expect.stringMatching(/^org\.yml:1:1 the file must have required property 'audiences'/)]);
  });

  it('YAML errors, duplicate ids and two status page audiences are refused', () => {
    expect(problems('audiences: [\n')).toEqual([expect.stringMatching(/^org\.yml:\d+:\d+ /)]);
    const twice = edited('  - id: employees', '  - id: core');
    const secondCore = twice.split('\n').lastIndexOf('  - id: core') + 1;
    expect(problems(twice)).toEqual([`org.yml:${secondCore}:9 audiences "core" is listed twice`]);
    const second = edited('      mail: everyone@example.com', '      status_page: true');
    expect(problems(second).join('\n')).toContain('only one audience can be the status page');
  });
});

describe('rendering a template', () => {
  const template = 'Update on {{components}}: {{summary}}';
  const values = { components: 'Checkout', summary: 'a <b>*bold*</b> & [link](http://x)' };
  it('escapes values for the target, never the template', () => {
    expect(render(template, values, 'text')).toBe('Update on Checkout: a <b>*bold*</b> & [link](http://x)');
    expect(render(template, values, 'html')).toBe('Update on Checkout: a &lt;b&gt;*bold*&lt;/b&gt; &amp; [link](http://x)');
    expect(render(template, values, 'markdown')).toBe('Update on Checkout: a \\<b\\>\\*bold\\*\\</b\\> & \\[link\\](http://x)');
  });
});
