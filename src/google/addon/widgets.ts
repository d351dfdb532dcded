/**
 * Google card JSON (google.apps.card.v1, the `GoogleAppsCardV1*` schemas), built as plain objects.
 * Text widgets take a small HTML subset (<b>, <i>, <a href>, <font color>): everything people typed is escaped.
 */
export type Widget = Record<string, unknown>;
export interface Section {
  header?: string;
  collapsible?: boolean;
  uncollapsibleWidgetsCount?: number;
  widgets: Widget[];
}
export interface Card {
  header?: { title: string; subtitle?: string };
  sections: Section[];
}

export function escape(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

export const paragraph = (html: string): Widget => ({ textParagraph: { text: html } });

export const fact = (label: string, html: string): Widget => ({ decoratedText: { topLabel: label, text: html, wrapText: true } });

export const divider = (): Widget => ({ divider: {} });

export interface ActionButton {
  text: string;
  /** The endpoint URL: an HTTP add-on's `function` is the URL Google calls back. */
  endpoint: string;
  parameters: Record<string, string>;
  filled?: boolean;
}

export function buttons(list: (ActionButton | { text: string; url: string })[]): Widget {
  return {
    buttonList: {
      buttons: list.map((b) =>
        'url' in b
          ? { text: b.text, onClick: { openLink: { url: b.url } } }
          : {
              text: b.text,
              ...(b.filled ? { type: 'FILLED' } : {}),
              onClick: {
                action: {
                  function: b.endpoint,
                  parameters: Object.entries(b.parameters).map(([key, value]) => ({ key, value })),
                  loadIndicator: 'SPINNER',
                },
              },
            },
      ),
    },
  };
}

export function dropdown(name: string, label: string, items: { text: string; value: string; selected?: boolean }[]): Widget {
  return { selectionInput: { name, label, type: 'DROPDOWN', items: items.map((i) => ({ text: i.text, value: i.value, selected: Boolean(i.selected) })) } };
}

export function checkbox(name: string, text: string): Widget {
  return { selectionInput: { name, type: 'CHECK_BOX', items: [{ text, value: 'true', selected: false }] } };
}

export function textInput(name: string, label: string, hint?: string): Widget {
  return { textInput: { name, label, type: 'MULTIPLE_LINE', ...(hint ? { hintText: hint } : {}) } };
}
