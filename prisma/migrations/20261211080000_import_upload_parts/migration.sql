-- An import's sealed upload is stored in parts of at most 256 KiB, each its own sealed record,
-- so that no statement carries the whole file: a 9 MiB bytea through the database driver cost
-- the API and the worker over 100 MB of memory each. A waiting upload sealed as one record is
-- part 0 of one part and opens as before.
ALTER TABLE "import_uploads" ADD COLUMN "part" INTEGER NOT NULL DEFAULT 0;
ALTER TABLE "import_uploads" ALTER COLUMN "part" DROP DEFAULT;
ALTER TABLE "import_uploads" DROP CONSTRAINT "import_uploads_pkey";
ALTER TABLE "import_uploads" ADD CONSTRAINT "import_uploads_pkey" PRIMARY KEY ("import_id", "part");
