// The credentials every test and bench signs with, written once: the vendor's documented example pair
// (the Api-Key, secret and timestamp of both API pages' example requests, and the mock's defaults), and
// the vendor's two signing vectors.

/** The vendor's documented example `Api-Key`. */
export const API_KEY = 'bDqJFiq9';
/** The vendor's documented example secret (a test credential: it signs nothing real). */
export const API_SECRET = '7bz1lzh9';

/** `{ apiKey, apiSecret }` for `createVoiceClient({ ...credentials, baseUrl })`. */
export const credentials = { apiKey: API_KEY, apiSecret: API_SECRET } as const;

/** A signing vector: `Sign` = md5(apiKey + apiSecret + timestamp), lowercase hex. */
export interface SignVector {
  apiKey: string;
  apiSecret: string;
  /** Unix seconds. */
  timestamp: number;
  sign: string;
}

/** The vendor's first vector: the example pair at its example timestamp (2021-09-01 00:00:00 UTC). */
export const VECTOR: SignVector = { apiKey: API_KEY, apiSecret: API_SECRET, timestamp: 1630468800, sign: '05d7a50893e22a5c4bb3216ae3396c7c' };
/** The vendor's second vector, with placeholder names as credentials. */
export const SECOND_VECTOR: SignVector = { apiKey: 'api-key', apiSecret: 'api-secret', timestamp: 1630468800, sign: '916cca171614e17d6ccea6b02e53d807' };
/** Both vectors, for tests that check every one. */
export const VECTORS: readonly SignVector[] = [VECTOR, SECOND_VECTOR];

/** The first vector's timestamp in milliseconds, for a client's `now`. */
export const VECTOR_MS = VECTOR.timestamp * 1000;
