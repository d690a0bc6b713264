// The vendor's base URL, in a module of its own with nothing from Node in it: the SDK's client takes it
// as its default, and both entries of `itnio-voice/msw` intercept it by default, the browser's included
// (which cannot import src/client.ts: it reaches node:crypto through the signing).

/** Where the vendor serves the API; the SDK's default `baseUrl`. */
export const DEFAULT_BASE_URL = 'https://api.itniotech.com';
