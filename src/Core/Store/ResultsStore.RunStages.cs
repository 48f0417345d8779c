using Ablations.Core.Store.Entities;
using Microsoft.EntityFrameworkCore;

namespace Ablations.Core.Store;

/// <summary>One run's finished stage of one type: which cell it belongs to and the stage's stored config.</summary>
public sealed record RunStage(int CellIndex, long Seed, string StageHash, string ConfigJson);

public sealed partial class ResultsStore
{
    /// <summary>The succeeded stages of <paramref name="type"/> in the runs of a revision, in cell then seed order (e.g. the students to export).</summary>
    public IReadOnlyList<RunStage> SucceededStagesOf(int revisionId, string type) => Guard(() =>
    {
        using var db = NewContext();
        return (IReadOnlyList<RunStage>)db.RunStages.AsNoTracking()
            .Where(rs => db.RevisionRuns.Any(rr => rr.RevisionId == revisionId && rr.RunId == rs.RunId)
                         && rs.Stage!.Type == type && rs.Stage.Status == StageStatus.Succeeded)
            .Select(rs => new RunStage(rs.Run!.CellIndex, rs.Run.Seed, rs.StageHash, rs.Stage!.ConfigJson))
            .AsEnumerable().OrderBy(s => s.CellIndex).ThenBy(s => s.Seed).DistinctBy(s => (s.CellIndex, s.Seed, s.StageHash)).ToList();
    });
}
