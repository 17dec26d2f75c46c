-- AlterTable
ALTER TABLE "Series" ADD COLUMN "unit" TEXT;
