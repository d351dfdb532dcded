/**
 * The headers of every local page (Firebreak's /sandbox pages and the Google sandbox's doc pages): their only scripts
 * and styles are their own files, so the Content-Security-Policy allows no inline script or style at all (text that
 * slipped through unescaped still could not run), no framing, no form posts; nothing is cached or sniffed.
 */
export const PAGE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

export const PAGE_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy': PAGE_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'no-store',
};
