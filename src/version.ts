// The version the `User-Agent` names. Kept as a constant (not read from package.json at run time) so the
// built package has no JSON import or file read; test/sdk/package.test.ts fails if it drifts from package.json.
export const SDK_VERSION = '0.1.0';
