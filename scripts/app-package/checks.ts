import type { Png } from './png';

/**
 * The rules Teams' app validation applies that need no network (Developer Portal / `teamsapp validate` check them
 * too; the schema alone does not): https://learn.microsoft.com/microsoftteams/platform/concepts/build-and-test/apps-package
 * and .../resources/schema/manifest-schema. Each problem is one line naming the field.
 */
const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
/** A host name, optionally with a leading `*.` wildcard; no scheme, port or path (the manifest's validDomains). */
const DOMAIN = /^(\*\.)?([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/i;

type Json = Record<string, any>;

export function manifestProblems(m: Json, icons: { color: Png; outline: Png }): string[] {
  const problems: string[] = [];
  const guid = (where: string, value: unknown) => {
    if (typeof value !== 'string' || !GUID.test(value)) problems.push(`${where} must be a GUID (got ${JSON.stringify(value)})`);
  };
  guid('id', m.id);
  for (const [i, bot] of (m.bots ?? []).entries()) guid(`bots[${i}].botId`, bot.botId);
  for (const [i, ext] of (m.composeExtensions ?? []).entries()) guid(`composeExtensions[${i}].botId`, ext.botId);
  if (m.webApplicationInfo) guid('webApplicationInfo.id', m.webApplicationInfo.id);

  for (const d of m.validDomains ?? []) {
    if (typeof d !== 'string' || !DOMAIN.test(d)) problems.push(`validDomains: "${d}" is not a domain (no scheme, port or path; localhost is refused by Teams)`);
    else if (/^\*\.(microsoft|office|sharepoint|teams\.microsoft)\.(com|net)$/i.test(d)) problems.push(`validDomains: "${d}" is a Microsoft domain wildcard, which Teams refuses`);
  }
  const https = (where: string, value: unknown) => {
    if (typeof value === 'string' && !value.startsWith('https://')) problems.push(`${where} must be an https URL (got "${value}")`);
  };
  for (const k of ['websiteUrl', 'privacyUrl', 'termsOfUseUrl']) https(`developer.${k}`, m.developer?.[k]);
  for (const [i, tab] of (m.staticTabs ?? []).entries()) {
    https(`staticTabs[${i}].contentUrl`, tab.contentUrl);
    const host = typeof tab.contentUrl === 'string' && tab.contentUrl.startsWith('https://') ? new URL(tab.contentUrl).hostname : undefined;
    if (host && !(m.validDomains ?? []).some((d: string) => d === host || (d.startsWith('*.') && host.endsWith(d.slice(1))))) {
      problems.push(`staticTabs[${i}].contentUrl's host ${host} must be in validDomains`);
    }
  }

  // Command ids unique within each message extension, bot command titles unique within each list.
  for (const [i, ext] of (m.composeExtensions ?? []).entries()) {
    const ids = (ext.commands ?? []).map((c: Json) => c.id);
    for (const id of new Set(ids.filter((id: string, k: number) => ids.indexOf(id) !== k))) problems.push(`composeExtensions[${i}]: command id "${id}" is used twice`);
  }
  for (const [i, bot] of (m.bots ?? []).entries()) {
    for (const [j, list] of (bot.commandLists ?? []).entries()) {
      const titles = (list.commands ?? []).map((c: Json) => String(c.title).toLowerCase());
      for (const t of new Set(titles.filter((t: string, k: number) => titles.indexOf(t) !== k))) problems.push(`bots[${i}].commandLists[${j}]: command "${t}" is listed twice`);
    }
  }

  // Icons: color 192x192; outline 32x32, white on a transparent background.
  const { color, outline } = icons;
  if (color.width !== 192 || color.height !== 192) problems.push(`icons.color must be 192x192 pixels (is ${color.width}x${color.height})`);
  if (outline.width !== 32 || outline.height !== 32) problems.push(`icons.outline must be 32x32 pixels (is ${outline.width}x${outline.height})`);
  if (!outline.hasAlpha) problems.push('icons.outline must have a transparent background (it has no alpha channel)');
  else if (outline.rgba) {
    let transparent = 0;
    let coloured = 0;
    for (let p = 0; p < outline.rgba.length; p += 4) {
      const [r, g, b, a] = outline.rgba.subarray(p, p + 4);
      if (a === 0) transparent++;
      else if (r < 240 || g < 240 || b < 240) coloured++;
    }
    if (!transparent) problems.push('icons.outline must have a transparent background (no pixel is transparent)');
    if (coloured) problems.push(`icons.outline must be white on transparent (${coloured} visible pixels are not white)`);
  }
  return problems;
}
