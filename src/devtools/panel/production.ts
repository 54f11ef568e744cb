/**
 * True in a production build. Spelled `process.env.NODE_ENV` so that bundlers replace it
 * and drop the panel's code behind it; where nothing defines `process`, development.
 */
export function isProduction(): boolean {
  try {
    return process.env.NODE_ENV === 'production'
  } catch {
    return false
  }
}
