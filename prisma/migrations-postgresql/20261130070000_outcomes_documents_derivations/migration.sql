-- DropForeignKey
ALTER TABLE "Derivation" DROP CONSTRAINT "Derivation_bEntityId_fkey";

-- DropForeignKey
ALTER TABLE "Derivation" DROP CONSTRAINT "Derivation_bIndicatorId_fkey";

-- AlterTable
ALTER TABLE "Derivation" ADD COLUMN     "proxy" BOOLEAN NOT NULL DEFAULT false,
ALTER COLUMN "bIndicatorId" DROP NOT NULL,
ALTER COLUMN "bEntityId" DROP NOT NULL;

-- AlterTable
ALTER TABLE "Source" ADD COLUMN     "text" TEXT;

-- CreateIndex
CREATE INDEX "Derivation_indicatorId_entityId_idx" ON "Derivation"("indicatorId", "entityId");

-- AddForeignKey
ALTER TABLE "Derivation" ADD CONSTRAINT "Derivation_bIndicatorId_fkey" FOREIGN KEY ("bIndicatorId") REFERENCES "Indicator"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Derivation" ADD CONSTRAINT "Derivation_bEntityId_fkey" FOREIGN KEY ("bEntityId") REFERENCES "Entity"("id") ON DELETE SET NULL ON UPDATE CASCADE;
