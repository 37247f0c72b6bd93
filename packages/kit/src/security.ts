// `@interop/kit/security`: who is calling and what they may do: the callers'
// identities the gateway signs, signatures between processes and to partners,
// and the access rules the subgraphs enforce.
export { type AcceptedSecrets, contextMac, DEFAULT_SIGNATURE_TOLERANCE_SECONDS, everyAcceptedSecret, matchesAnySecret, sameMac, SIGNATURE_HEADER, type SignatureCheck, signatureHeader, signatureOf, type SignedMessage, type SignedRequest, type SignedWebhook, type SigningContext, signingLabel, verifyRequest, verifySignature } from './signature';
export { PARTNER_WEBHOOK_SIGNATURE_HEADER, partnerWebhookMac, signWebhookPayload } from './webhook-signing';
export {
  ANONYMOUS,
  bodyDigest,
  type Caller,
  DEVELOPMENT_SIGNING_SECRET,
  hasScope,
  IDENTITY_HEADER,
  IDENTITY_TTL_SECONDS,
  type IdentityCheck,
  identityClaims,
  sealIdentity,
  sealIdentityOverDigest,
  serviceCaller,
  signIdentity,
  verifyIdentity,
} from './identity';
export { merchantScopes, requireMerchantScope } from './merchant-scope';
export { type AccessRule, allows, checkAccess, enforceAccessDirectives } from './access';
