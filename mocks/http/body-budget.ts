// One cap on the request bytes the mock holds at once, across every connection: each body is capped by
// its route's limit, but 256 connections each holding most of a 64 MiB upload would be 16 GiB. A body's
// bytes count from the chunk that brings them until its answer is done (the response closes), since the
// bytes are parsed and checked in between. A body that would take the total past the cap is refused at
// once (an announced one before a byte of it is read) and nothing of it is kept.
import type { ServerResponse } from 'node:http';

/** One request's share of the budget: what it holds, given back in full when its answer is done. */
export interface BodyClaim {
  /** Whether `bytes` more would fit now. */
  fits(bytes: number): boolean;
  /** Takes `bytes` more; false (and nothing taken) when they would not fit. */
  take(bytes: number): boolean;
  /** Gives back everything taken; a second call gives back nothing. */
  release(): void;
  /** Why a body that does not fit is refused, for the client. */
  refusal(): string;
}

export class BodyBudget {
  #held = 0;

  constructor(readonly maxBytes: number) {
    if (!Number.isSafeInteger(maxBytes) || maxBytes < 1) throw new RangeError(`maxBodyBytesInFlight must be a positive integer, not ${maxBytes}`);
  }

  /** Request bytes held now. */
  held(): number {
    return this.#held;
  }

  /** A claim for the body of the request `response` answers, given back when `response` closes. */
  claim(response: ServerResponse): BodyClaim {
    let taken = 0;
    const claim: BodyClaim = {
      fits: (bytes) => this.#held + bytes <= this.maxBytes,
      take: (bytes) => {
        if (!claim.fits(bytes)) return false;
        this.#held += bytes;
        taken += bytes;
        return true;
      },
      release: () => {
        this.#held -= taken;
        taken = 0;
      },
      refusal: () =>
        `the mock holds ${this.#held} bytes of request bodies, and this one would take it past its limit of ${this.maxBytes} (maxBodyBytesInFlight); send it again shortly`,
    };
    response.once('close', claim.release);
    return claim;
  }
}
