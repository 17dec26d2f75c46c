-- DropIndex
DROP INDEX "Observation_seriesId_supersededAt_idx";

-- CreateIndex
CREATE INDEX "Observation_seriesId_supersededAt_period_idx" ON "Observation"("seriesId", "supersededAt", "period");
