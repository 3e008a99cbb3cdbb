// Define the card's elements so that Home Assistant's frontend always finds them.
//
// Home Assistant loads an integration's extra module with import() at the same
// time as its own app bundle. The app bundle installs a scoped custom element
// registry polyfill that replaces window.customElements with its own registry:
// an element defined in the native registry before that happens is in the page,
// yet the polyfilled customElements.get() and whenDefined() used by hui-card and
// the card picker never see it ("Custom element doesn't exist"). So the card
// defines its elements only once the frontend's root element is defined, which
// the app bundle does after installing the polyfill (or without it, in a browser
// with native scoped registries). Each definition is made at most once.

const ROOTS = ["home-assistant", "hc-main"]; // the frontend, and the cast receiver

export function frontendReady(registry: CustomElementRegistry = customElements): Promise<void> {
  if (ROOTS.some((tag) => registry.get(tag))) return Promise.resolve();
  return Promise.race(ROOTS.map((tag) => registry.whenDefined(tag))).then(() => undefined);
}

export function defineWhenReady(tag: string, element: CustomElementConstructor): Promise<void> {
  return frontendReady().then(() => {
    // Read window.customElements now: it may have been replaced since this module ran.
    if (!window.customElements.get(tag)) window.customElements.define(tag, element);
  });
}
