-- CreateIndex
CREATE INDEX "Observation_quoteId_idx" ON "Observation"("quoteId");
