-- AlterTable
ALTER TABLE "Source" ADD COLUMN "text" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_Derivation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "formula" TEXT NOT NULL,
    "indicatorId" INTEGER,
    "entityId" INTEGER,
    "aIndicatorId" INTEGER NOT NULL,
    "aEntityId" INTEGER NOT NULL,
    "bIndicatorId" INTEGER,
    "bEntityId" INTEGER,
    "proxy" BOOLEAN NOT NULL DEFAULT false,
    "quoteId" INTEGER,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Derivation_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Derivation_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "Entity" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Derivation_aIndicatorId_fkey" FOREIGN KEY ("aIndicatorId") REFERENCES "Indicator" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Derivation_aEntityId_fkey" FOREIGN KEY ("aEntityId") REFERENCES "Entity" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Derivation_bIndicatorId_fkey" FOREIGN KEY ("bIndicatorId") REFERENCES "Indicator" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Derivation_bEntityId_fkey" FOREIGN KEY ("bEntityId") REFERENCES "Entity" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Derivation_quoteId_fkey" FOREIGN KEY ("quoteId") REFERENCES "Quote" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);
INSERT INTO "new_Derivation" ("aEntityId", "aIndicatorId", "bEntityId", "bIndicatorId", "createdAt", "entityId", "formula", "id", "indicatorId", "note", "quoteId", "slug", "title") SELECT "aEntityId", "aIndicatorId", "bEntityId", "bIndicatorId", "createdAt", "entityId", "formula", "id", "indicatorId", "note", "quoteId", "slug", "title" FROM "Derivation";
DROP TABLE "Derivation";
ALTER TABLE "new_Derivation" RENAME TO "Derivation";
CREATE UNIQUE INDEX "Derivation_slug_key" ON "Derivation"("slug");
CREATE INDEX "Derivation_indicatorId_entityId_idx" ON "Derivation"("indicatorId", "entityId");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
