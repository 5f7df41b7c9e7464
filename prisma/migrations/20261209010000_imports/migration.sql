-- Imports of secrets from CSV, XLSX and KeePass files: one row per upload (a dry run or a real
-- run) with its progress, and one row per line of the file saying what it did and why. Neither
-- holds a secret: the file is read from memory and never stored.
CREATE TABLE "imports" (
  "id" UUID NOT NULL,
  "requested_by_id" UUID REFERENCES "users"("id") ON DELETE SET NULL ON UPDATE CASCADE,
  "folder_id" UUID NOT NULL REFERENCES "folders"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "format" TEXT NOT NULL,
  "file_name" TEXT NOT NULL,
  "dry_run" BOOLEAN NOT NULL,
  "headers" TEXT[],
  "state" TEXT NOT NULL,
  "total" INTEGER NOT NULL DEFAULT 0,
  "processed" INTEGER NOT NULL DEFAULT 0,
  "created_count" INTEGER NOT NULL DEFAULT 0,
  "updated_count" INTEGER NOT NULL DEFAULT 0,
  "unchanged_count" INTEGER NOT NULL DEFAULT 0,
  "skipped_count" INTEGER NOT NULL DEFAULT 0,
  "failed_count" INTEGER NOT NULL DEFAULT 0,
  "error_code" TEXT,
  "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT now(),
  "updated_at" TIMESTAMPTZ(3) NOT NULL,
  "finished_at" TIMESTAMPTZ(3),
  CONSTRAINT "imports_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "imports_requested_by_id_created_at_idx" ON "imports"("requested_by_id", "created_at");

CREATE TABLE "import_rows" (
  "import_id" UUID NOT NULL REFERENCES "imports"("id") ON DELETE CASCADE ON UPDATE CASCADE,
  "row" INTEGER NOT NULL,
  "target_type" TEXT NOT NULL,
  "target" TEXT NOT NULL,
  "account" TEXT NOT NULL,
  "group_path" TEXT NOT NULL,
  "outcome" TEXT NOT NULL,
  "reason" TEXT,
  "message" TEXT,
  CONSTRAINT "import_rows_pkey" PRIMARY KEY ("import_id", "row")
);
CREATE INDEX "import_rows_import_id_outcome_row_idx" ON "import_rows"("import_id", "outcome", "row");
