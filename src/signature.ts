// The vendor's signature rule without a hash implementation, so code that must also run in a browser
// (the mock's engine) shares it with the SDK: `Sign` = lowercase hex MD5 of apiKey + apiSecret + timestamp.

/** What `Sign` is the MD5 of: the plain concatenation, nothing else (no body, no path). */
export function signInput(apiKey: string, apiSecret: string, timestamp: number | string): string {
  return `${apiKey}${apiSecret}${timestamp}`;
}

/**
 * Compares two texts in time that depends only on their lengths, not on where they differ. Lengths are
 * public here (an API key's, an MD5 digest's), so only the contents are protected.
 */
export function sameText(a: string, b: string): boolean {
  let difference = a.length ^ b.length;
  // Walk the expected length either way, so a short guess costs as much as a long one.
  for (let i = 0; i < b.length; i++) difference |= (a.charCodeAt(i % (a.length || 1)) || 0) ^ b.charCodeAt(i);
  return difference === 0;
}

/** Whether a received `Sign` is the expected lowercase hex digest; the vendor compares case-insensitively. */
export function signMatches(expectedHex: string, received: string): boolean {
  return sameText(String(received).toLowerCase(), expectedHex);
}
