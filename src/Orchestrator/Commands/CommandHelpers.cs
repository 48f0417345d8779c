using Ablations.Core.Store;
using Ablations.Core.Store.Entities;

namespace Ablations.Orchestrator.Commands;

internal static class CommandHelpers
{
    /// <summary>The named experiment, or null after printing which experiments exist.</summary>
    public static ExperimentRow? Find(ResultsStore store, string name)
    {
        var experiment = store.FindExperiment(name);
        if (experiment is not null) return experiment;
        Cli.Error(store.UnknownExperimentMessage(name));
        return null;
    }

    /// <summary>Revision <paramref name="number"/> of the experiment (its current one when null), or null after saying which exist.</summary>
    public static RevisionRow? FindRevision(ResultsStore store, ExperimentRow experiment, int? number)
    {
        var revision = store.Revision(experiment, number);
        if (revision is null) Cli.Error(ResultsReader.UnknownRevisionMessage(experiment, number ?? 0));
        return revision;
    }
}
