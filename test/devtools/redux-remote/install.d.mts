/** Resolves to the package directory once it is installed (npm ci on first use, or after the lockfile changed). */
export function ensureReduxRemoteInstalled(): Promise<string>
