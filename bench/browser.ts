// The bench drives the same Chromium, launched the same way, as the end-to-end tests.
export { launchChromium } from '../test/support/chromium'
