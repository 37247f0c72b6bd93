// How the test's clients retry, as a partner would configure the SDK to ride
// out a replica's restart: up to six more attempts, backing off from 200 ms
// (about 12 s in all), each attempt given 10 s.
export const SDK_SETTINGS = { retries: 6, retryDelayMs: 200, timeoutMs: 10_000 } as const;
