import { bundleClient, CLIENT_DIR } from '../client-bundle.ts';

/** Bundles the public site's small script (client/site): reader counts and banner rotation. */
export async function buildSiteScript(): Promise<Buffer> {
  const [js] = await bundleClient({ site: `${CLIENT_DIR}site/main.ts` });
  if (js === undefined) throw new Error('The site script bundle is empty.');
  return Buffer.from(js.contents);
}
