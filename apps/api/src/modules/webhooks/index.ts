/** Webhooks: where alerts go, signed; the outbox that carries them and the dispatcher that sends it. */
export { createWebhooksRepo, type OutgoingEvent, type WebhooksRepo } from './webhooks.repo.js';
export { createWebhooksService, type WebhooksService } from './webhooks.service.js';
export { webhookBindings } from './webhooks.routes.js';
export { createWebhookDispatcher, DEFAULT_WEBHOOK_DISPATCHER_OPTIONS, type WebhookDispatcher, type WebhookDispatcherOptions } from './webhook-dispatcher.js';
export { DEFAULT_WEBHOOK_URL_POLICY, type WebhookUrlPolicy } from './webhook-url.js';
export { signWebhook, verifyWebhook } from './webhook-signature.js';
export { rewrapWebhookSecrets } from './webhook-secret.js';
export { rewrapWebhookUrls, sealClearWebhookUrls } from './webhook-url-seal.js';
