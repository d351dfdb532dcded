import type restify from 'restify';
import type { HttpAnswer } from '../teams/endpoint';
import { ALERT_SOURCES, type AlertWebhook } from './routes';

/** POST /api/alerts/alertmanager, /grafana, /azure-monitor, /generic (docs/alerts.md); `body` reads up to 1 MB of JSON. */
export function mountAlerts(server: restify.Server, webhook: AlertWebhook, body: restify.RequestHandler, send: (res: restify.Response, answer: HttpAnswer) => void): void {
  for (const source of ALERT_SOURCES) {
    server.post(`/api/alerts/${source}`, body, async (req: restify.Request, res: restify.Response) => send(res, await webhook(source, req.body, req.header('authorization') || undefined)));
  }
}
