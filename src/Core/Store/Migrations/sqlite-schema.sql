CREATE TABLE IF NOT EXISTS "__EFMigrationsHistory" (
    "MigrationId" TEXT NOT NULL CONSTRAINT "PK___EFMigrationsHistory" PRIMARY KEY,
    "ProductVersion" TEXT NOT NULL
);

BEGIN TRANSACTION;
CREATE TABLE "artifacts" (
    "Hash" TEXT NOT NULL CONSTRAINT "PK_artifacts" PRIMARY KEY,
    "Kind" TEXT NOT NULL,
    "Path" TEXT NOT NULL,
    "Bytes" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "experiments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_experiments" PRIMARY KEY AUTOINCREMENT,
    "Name" TEXT NOT NULL,
    "Description" TEXT NULL,
    "SpecPath" TEXT NOT NULL,
    "SpecText" TEXT NOT NULL,
    "SpecHash" TEXT NOT NULL,
    "Profile" TEXT NULL,
    "GitCommit" TEXT NULL,
    "CodeVersion" TEXT NOT NULL,
    "ReportContextJson" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL,
    "CancelRequested" INTEGER NOT NULL
);

CREATE TABLE "metrics" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_metrics" PRIMARY KEY AUTOINCREMENT,
    "StageHash" TEXT NOT NULL,
    "Name" TEXT NOT NULL,
    "Step" INTEGER NOT NULL,
    "Value" REAL NOT NULL,
    "Time" TEXT NOT NULL
);

CREATE TABLE "stage_inputs" (
    "StageHash" TEXT NOT NULL,
    "Role" TEXT NOT NULL,
    "InputHash" TEXT NOT NULL,
    CONSTRAINT "PK_stage_inputs" PRIMARY KEY ("StageHash", "Role")
);

CREATE TABLE "stages" (
    "Hash" TEXT NOT NULL CONSTRAINT "PK_stages" PRIMARY KEY,
    "Type" TEXT NOT NULL,
    "ConfigJson" TEXT NOT NULL,
    "InputsJson" TEXT NOT NULL,
    "Queue" TEXT NOT NULL,
    "Status" TEXT NOT NULL,
    "Attempts" INTEGER NOT NULL,
    "Worker" TEXT NULL,
    "JobId" TEXT NULL,
    "EnqueuedAt" TEXT NULL,
    "StartedAt" TEXT NULL,
    "HeartbeatAt" TEXT NULL,
    "FinishedAt" TEXT NULL,
    "DurationSeconds" REAL NULL,
    "Progress" REAL NOT NULL,
    "Phase" TEXT NULL,
    "FailureKind" TEXT NULL,
    "Error" TEXT NULL,
    "CancelRequested" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL
);

CREATE TABLE "runs" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_runs" PRIMARY KEY AUTOINCREMENT,
    "ExperimentId" INTEGER NOT NULL,
    "RunKey" TEXT NOT NULL,
    "CellIndex" INTEGER NOT NULL,
    "ParamsJson" TEXT NOT NULL,
    "Seed" INTEGER NOT NULL,
    "IsBaseline" INTEGER NOT NULL,
    "Active" INTEGER NOT NULL,
    "TerminalStageHash" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_runs_experiments_ExperimentId" FOREIGN KEY ("ExperimentId") REFERENCES "experiments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "run_stages" (
    "RunId" INTEGER NOT NULL,
    "StageHash" TEXT NOT NULL,
    "StageKey" TEXT NOT NULL,
    "IsTerminal" INTEGER NOT NULL,
    CONSTRAINT "PK_run_stages" PRIMARY KEY ("RunId", "StageHash"),
    CONSTRAINT "FK_run_stages_runs_RunId" FOREIGN KEY ("RunId") REFERENCES "runs" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_run_stages_stages_StageHash" FOREIGN KEY ("StageHash") REFERENCES "stages" ("Hash") ON DELETE CASCADE
);

CREATE UNIQUE INDEX "IX_experiments_Name" ON "experiments" ("Name");

CREATE INDEX "IX_metrics_StageHash_Name_Step" ON "metrics" ("StageHash", "Name", "Step");

CREATE INDEX "IX_run_stages_StageHash" ON "run_stages" ("StageHash");

CREATE UNIQUE INDEX "IX_runs_ExperimentId_RunKey" ON "runs" ("ExperimentId", "RunKey");

CREATE INDEX "IX_stage_inputs_InputHash" ON "stage_inputs" ("InputHash");

CREATE INDEX "IX_stages_Status" ON "stages" ("Status");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261129075531_Initial', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "stages" ADD "CodeVersion" TEXT NULL;

ALTER TABLE "stage_inputs" ADD "ConsumedRootSha256" TEXT NULL;

ALTER TABLE "runs" ADD "CellKey" TEXT NOT NULL DEFAULT '';

ALTER TABLE "experiments" ADD "CurrentRevision" INTEGER NOT NULL DEFAULT 0;

ALTER TABLE "artifacts" ADD "ManifestJson" TEXT NULL;

ALTER TABLE "artifacts" ADD "RootSha256" TEXT NULL;

ALTER TABLE "artifacts" ADD "VerifiedAt" TEXT NULL;

CREATE TABLE "revisions" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_revisions" PRIMARY KEY AUTOINCREMENT,
    "ExperimentId" INTEGER NOT NULL,
    "Number" INTEGER NOT NULL,
    "Description" TEXT NULL,
    "SpecPath" TEXT NOT NULL,
    "SpecText" TEXT NOT NULL,
    "SpecHash" TEXT NOT NULL,
    "Profile" TEXT NULL,
    "GitCommit" TEXT NULL,
    "CodeVersion" TEXT NOT NULL,
    "PlanHash" TEXT NOT NULL,
    "ReportContextJson" TEXT NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    CONSTRAINT "FK_revisions_experiments_ExperimentId" FOREIGN KEY ("ExperimentId") REFERENCES "experiments" ("Id") ON DELETE CASCADE
);

CREATE TABLE "revision_runs" (
    "RevisionId" INTEGER NOT NULL,
    "RunId" INTEGER NOT NULL,
    CONSTRAINT "PK_revision_runs" PRIMARY KEY ("RevisionId", "RunId"),
    CONSTRAINT "FK_revision_runs_revisions_RevisionId" FOREIGN KEY ("RevisionId") REFERENCES "revisions" ("Id") ON DELETE CASCADE,
    CONSTRAINT "FK_revision_runs_runs_RunId" FOREIGN KEY ("RunId") REFERENCES "runs" ("Id") ON DELETE CASCADE
);

CREATE INDEX "IX_runs_ExperimentId_CellKey" ON "runs" ("ExperimentId", "CellKey");

CREATE INDEX "IX_revision_runs_RunId" ON "revision_runs" ("RunId");

CREATE UNIQUE INDEX "IX_revisions_ExperimentId_Number" ON "revisions" ("ExperimentId", "Number");

INSERT INTO revisions ("ExperimentId", "Number", "Description", "SpecPath", "SpecText", "SpecHash", "Profile", "GitCommit", "CodeVersion", "PlanHash", "ReportContextJson", "CreatedAt")
SELECT "Id", 1, "Description", "SpecPath", "SpecText", "SpecHash", "Profile", "GitCommit", "CodeVersion", '', "ReportContextJson", "CreatedAt" FROM experiments;
UPDATE experiments SET "CurrentRevision" = 1;
UPDATE runs SET "CellKey" = "RunKey";
INSERT INTO revision_runs ("RevisionId", "RunId")
SELECT v."Id", r."Id" FROM runs r JOIN revisions v ON v."ExperimentId" = r."ExperimentId" WHERE r."Active" = 1;
DELETE FROM metrics WHERE "Id" NOT IN (SELECT MAX("Id") FROM metrics GROUP BY "StageHash", "Name", "Step");

DROP INDEX "IX_metrics_StageHash_Name_Step";

CREATE UNIQUE INDEX "IX_metrics_StageHash_Name_Step" ON "metrics" ("StageHash", "Name", "Step");

CREATE TABLE "ef_temp_experiments" (
    "Id" INTEGER NOT NULL CONSTRAINT "PK_experiments" PRIMARY KEY AUTOINCREMENT,
    "CancelRequested" INTEGER NOT NULL,
    "CreatedAt" TEXT NOT NULL,
    "CurrentRevision" INTEGER NOT NULL,
    "Name" TEXT NOT NULL,
    "UpdatedAt" TEXT NOT NULL
);

INSERT INTO "ef_temp_experiments" ("Id", "CancelRequested", "CreatedAt", "CurrentRevision", "Name", "UpdatedAt")
SELECT "Id", "CancelRequested", "CreatedAt", "CurrentRevision", "Name", "UpdatedAt"
FROM "experiments";

COMMIT;

PRAGMA foreign_keys = 0;

BEGIN TRANSACTION;
DROP TABLE "experiments";

ALTER TABLE "ef_temp_experiments" RENAME TO "experiments";

COMMIT;

PRAGMA foreign_keys = 1;

BEGIN TRANSACTION;
CREATE UNIQUE INDEX "IX_experiments_Name" ON "experiments" ("Name");

COMMIT;

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261202064725_Revisions', '10.0.15');

BEGIN TRANSACTION;
DROP INDEX "IX_stages_Status";

CREATE INDEX "IX_stages_Status_Queue_CreatedAt_Hash" ON "stages" ("Status", "Queue", "CreatedAt", "Hash");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261203141058_ReadyStageIndex', '10.0.15');

COMMIT;

BEGIN TRANSACTION;
ALTER TABLE "stages" ADD "Devices" INTEGER NOT NULL DEFAULT 1;

ALTER TABLE "stages" ADD "MemoryGb" REAL NULL;

CREATE TABLE "runners" (
    "Id" TEXT NOT NULL CONSTRAINT "PK_runners" PRIMARY KEY,
    "Name" TEXT NOT NULL,
    "Host" TEXT NOT NULL,
    "Pid" INTEGER NOT NULL,
    "Devices" TEXT NOT NULL,
    "WorkersPerDevice" INTEGER NOT NULL,
    "Queues" TEXT NOT NULL,
    "MemoryGb" REAL NULL,
    "Version" TEXT NOT NULL,
    "StartedAt" TEXT NOT NULL,
    "HeartbeatAt" TEXT NOT NULL,
    "StaleAfterSeconds" REAL NOT NULL,
    "State" TEXT NOT NULL,
    "DrainRequested" INTEGER NOT NULL,
    "StoppedAt" TEXT NULL
);

CREATE INDEX "IX_runners_Name" ON "runners" ("Name");

INSERT INTO "__EFMigrationsHistory" ("MigrationId", "ProductVersion")
VALUES ('20261207220310_Runners', '10.0.15');

COMMIT;

