/** Types of launch-bundle.js (plain JavaScript, so that bin/ runs without a TypeScript loader). */
export interface BundleLocation {
  root: string;
  entry: string;
  dir: string;
  manifest: string;
}
export function bundleLocation(root: string, entry?: string): BundleLocation;
export function launchBundle(where: BundleLocation): Promise<string>;
export function currentBundle(where: BundleLocation): string | undefined;
export function buildBundle(where: BundleLocation): Promise<string>;
