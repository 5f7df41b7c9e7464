-- A webhook's URL often carries the receiver's token (a path segment, `?token=`), so it is stored
-- sealed under the master key, bound to its webhook, like the signing secret; in clear only a
-- display form (scheme, host, port, and "/…" when the URL has more).
-- A migration cannot seal (the master key never reaches the database): existing URLs stay in "url"
-- until the first start with the master key seals each one and clears it (webhook-url-seal.ts).
-- "url" stays, nullable, rather than being dropped later: a drop would destroy the URLs of an
-- installation upgraded without an unsealed start in between.
ALTER TABLE "webhooks" ADD COLUMN "url_sealed" TEXT, ADD COLUMN "url_display" TEXT;
ALTER TABLE "webhooks" ALTER COLUMN "url" DROP NOT NULL;
-- One form at a time: no write can leave the clear URL beside its seal, or a seal without its display form.
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_url_one_form" CHECK (("url" IS NULL) <> ("url_sealed" IS NULL));
ALTER TABLE "webhooks" ADD CONSTRAINT "webhooks_url_display" CHECK ("url_sealed" IS NULL OR "url_display" IS NOT NULL);
