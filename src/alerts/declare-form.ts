import type { AdaptiveCard } from '../teams/cards';
import { plain } from '../teams/text';
import { LIMITS, SEVERITY_MEANING } from '../domain/vocabulary';
import type { Service } from '../org/services';
import type { AlertGroup } from './group';

/**
 * "Declare incident" on an alert card: the declare form, prefilled from the group (title from the alert summary, the
 * suggested severity, the service). Only the group's key travels back with it: the alert's link, service and start
 * are read from the store, never from the form. With the service's status page policy `ask`, it offers the
 * first-contact publication; with `auto`, it says it will happen.
 */
export function alertDeclareForm(g: AlertGroup, service: Service | undefined, componentName: string | undefined, problem?: string): AdaptiveCard {
  const body: unknown[] = [];
  if (problem) body.push({ type: 'TextBlock', text: plain(problem), color: 'Attention', wrap: true, weight: 'Bolder' });
  body.push(
    { type: 'TextBlock', text: `Declare an incident from this alert${g.service ? ` (${plain(g.service)})` : ''}`, weight: 'Bolder', wrap: true },
    { type: 'Input.Text', id: 'title', label: 'What do we perceive?', isRequired: true, maxLength: LIMITS.title, errorMessage: 'Say what you see, in a few words', value: g.title.slice(0, LIMITS.title) },
    {
      type: 'Input.ChoiceSet',
      id: 'severity',
      label: 'Severity (suggested by the alert; it can change later)',
      value: String(g.severity ?? 3),
      isRequired: true,
      choices: Object.entries(SEVERITY_MEANING).map(([value, meaning]) => ({ title: `${value}: ${meaning}`, value })),
    },
    { type: 'Input.Toggle', id: 'customerImpact', title: 'Customers are affected', value: 'false', valueOn: 'true', valueOff: 'false' },
    { type: 'Input.Toggle', id: 'private', title: 'Private: announce only that it exists and who leads it', value: 'false', valueOn: 'true', valueOff: 'false' },
  );
  if (service?.component && componentName && service.statusPage === 'ask') {
    body.push({ type: 'Input.Toggle', id: 'statusPage', title: `Also publish the first-contact update to the status page (${plain(componentName)})`, value: 'false', valueOn: 'true', valueOff: 'false' });
  }
  if (service?.component && componentName && service.statusPage === 'auto') {
    body.push({ type: 'TextBlock', text: `The status page will show ${plain(componentName)} as affected, with the first-contact update, on your behalf (not for a private incident).`, wrap: true, isSubtle: true, size: 'Small' });
  }
  const data = { group: g.key };
  return {
    type: 'AdaptiveCard',
    $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
    version: '1.5',
    body,
    actions: [
      { type: 'Action.Execute', title: 'Declare incident', verb: 'alert.declareSubmit', data, style: 'destructive' },
      { type: 'Action.Execute', title: 'Cancel', verb: 'alert.refresh', data },
    ],
  };
}
