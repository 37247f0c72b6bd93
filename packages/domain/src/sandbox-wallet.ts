// What payments and the sandbox wallet agree on without configuration: the
// secret they sign the wallet's API calls and webhooks with in development.
// It is public (it is in this repository), so a production start of either
// refuses it (see each one's config).
export const DEVELOPMENT_WALLET_SECRET = 'sandbox-signing-secret-change-me';
