/// <reference types="chrome" />
/** The DevTools page: adds the patchdb panel to every DevTools window (its page reads the inspected tab itself). */
chrome.devtools.panels.create('patchdb', '', 'panel.html')
