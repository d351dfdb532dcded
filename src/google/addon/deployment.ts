import { ConfigError, loadConfig } from '../../config';

/**
 * The Google Workspace add-on deployment (gsuiteaddons.v1 Deployment) for Firebreak's Docs sidebar: an HTTP add-on
 * whose every trigger is one URL, told apart by `commonEventObject.parameters`.
 * - drive.file: Docs names the open document only once the user grants the add-on that one file
 *   (`docs.onFileScopeGrantedTrigger` fires then, and the incident appears).
 * - userinfo.email: the user ID token in each event carries the person's email, to attribute what they do.
 * - SYSTEM_ID_TOKEN: Google signs each request as the project's add-on service account, which /api/addon verifies.
 */
export function deploymentDescriptor(url: string, logoUrl = DEFAULT_LOGO): Record<string, unknown> {
  return {
    oauthScopes: ['https://www.googleapis.com/auth/drive.file', 'https://www.googleapis.com/auth/userinfo.email'],
    addOns: {
      common: {
        name: 'Firebreak',
        logoUrl,
        layoutProperties: { primaryColor: '#b3261e' },
        homepageTrigger: { runFunction: url },
      },
      docs: {
        homepageTrigger: { runFunction: url },
        onFileScopeGrantedTrigger: { runFunction: url },
      },
      httpOptions: { authorizationHeader: 'SYSTEM_ID_TOKEN' },
    },
  };
}

/** A Material icon Google hosts, so the add-on needs no image hosting of its own; replace with your own logo. */
export const DEFAULT_LOGO = 'https://www.gstatic.com/images/icons/material/system/2x/whatshot_black_48dp.png';

/** `node --import tsx src/google/addon/deployment.ts [logoUrl] > deployment.json`: the descriptor for ADDON_URL. */
if (require.main === module) {
  try {
    const config = loadConfig();
    process.stdout.write(`${JSON.stringify(deploymentDescriptor(config.addon.url, process.argv[2]), null, 2)}\n`);
  } catch (err) {
    process.stderr.write(`${err instanceof ConfigError ? err.message : (err as Error).stack}\n`);
    process.exit(2);
  }
}
