-- CreateTable
CREATE TABLE "Derivation" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "slug" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "formula" TEXT NOT NULL,
    "indicatorId" INTEGER,
    "entityId" INTEGER,
    "aIndicatorId" INTEGER NOT NULL,
    "aEntityId" INTEGER NOT NULL,
    "bIndicatorId" INTEGER NOT NULL,
    "bEntityId" INTEGER NOT NULL,
    "quoteId" INTEGER,
    "note" TEXT,
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "Derivation_indicatorId_fkey" FOREIGN KEY ("indicatorId") REFERENCES "Indicator" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Derivation_entityId_fkey" FOREIGN KEY ("entityId") REFERENCES "Entity" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "Derivation_aIndicatorId_fkey" FOREIGN KEY ("aIndicatorId") REFERENCES "Indicator" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Derivation_aEntityId_fkey" FOREIGN KEY ("aEntityId") REFERENCES "Entity" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Derivation_bIndicatorId_fkey" FOREIGN KEY ("bIndicatorId") REFERENCES "Indicator" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Derivation_bEntityId_fkey" FOREIGN KEY ("bEntityId") REFERENCES "Entity" ("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "Derivation_quoteId_fkey" FOREIGN KEY ("quoteId") REFERENCES "Quote" ("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- CreateIndex
CREATE UNIQUE INDEX "Derivation_slug_key" ON "Derivation"("slug");
