namespace Ablations.Core.Store.Migrations;

/// <summary>
/// The data step of the Revisions migration, shared by the SQLite and PostgreSQL ones: stores written before
/// revisions get each experiment's last submitted spec as its revision 1 (its plan hash is unknown, so the next
/// submit records revision 2), that revision holds the runs that were active, and a run's cell key is its old run
/// key (both hashed parameters and seed). Runs that had already left the grid belong to no revision. Duplicate
/// metric points (an old resumed attempt) keep their last value, so the unique index can be created.
/// </summary>
internal static class RevisionsData
{
    /// <param name="trueLiteral">How the provider writes a true boolean in SQL (SQLite 1, PostgreSQL TRUE).</param>
    public static string Sql(string trueLiteral) => $"""
        INSERT INTO revisions ("ExperimentId", "Number", "Description", "SpecPath", "SpecText", "SpecHash", "Profile", "GitCommit", "CodeVersion", "PlanHash", "ReportContextJson", "CreatedAt")
        SELECT "Id", 1, "Description", "SpecPath", "SpecText", "SpecHash", "Profile", "GitCommit", "CodeVersion", '', "ReportContextJson", "CreatedAt" FROM experiments;
        UPDATE experiments SET "CurrentRevision" = 1;
        UPDATE runs SET "CellKey" = "RunKey";
        INSERT INTO revision_runs ("RevisionId", "RunId")
        SELECT v."Id", r."Id" FROM runs r JOIN revisions v ON v."ExperimentId" = r."ExperimentId" WHERE r."Active" = {trueLiteral};
        DELETE FROM metrics WHERE "Id" NOT IN (SELECT MAX("Id") FROM metrics GROUP BY "StageHash", "Name", "Step");
        """;
}
