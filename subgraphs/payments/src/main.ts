// Entry point: `tsx subgraphs/payments/src/main.ts`, configured by the environment.
import { createLogger, runMain } from '@interop/kit';
import { stopOnSignals } from '@interop/kit/server';
import { readPaymentsConfig } from './config';
import { openPaymentLedger, startPayments, webhookSettingsFromConfig } from './server';

runMain(async () => {
  const config = readPaymentsConfig();
  const walletSecrets = config.walletSecrets();
  const ledger = await openPaymentLedger(config.storage());
  const running = await startPayments({
    port: config.PAYMENTS_PORT,
    host: config.SUBGRAPH_HOST,
    commerceUrl: config.peerUrl('commerce'),
    merchantsUrl: config.peerUrl('merchants'),
    peerTimeoutMs: config.PEER_TIMEOUT_MS,
    ledger,
    closeLedger: true,
    wallet: {
      apiUrl: config.walletUrl,
      publicUrl: config.walletPublicUrl,
      secret: walletSecrets.secret,
      acceptedSecrets: walletSecrets.accepted,
      notifyUrl: config.paymentsWebhookUrl,
    },
    paymentTtlSeconds: config.PAYMENT_TTL_SECONDS,
    expirySweepMs: config.PAYMENT_SWEEP_INTERVAL_MS,
    reconcileAfterMs: config.PAYMENT_RECONCILE_AFTER_MS,
    events: { redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL },
    ...(config.PEER_FACTS_MAX_MERCHANTS > 0 && {
      factEvents: { redisUrl: config.REDIS_URL, databaseUrl: config.DATABASE_URL },
      heldMerchantsAtMost: config.PEER_FACTS_MAX_MERCHANTS,
    }),
    trust: config.trust(),
    partnerWebhooks: webhookSettingsFromConfig(config),
  });
  stopOnSignals(running, createLogger('payments'));
});
