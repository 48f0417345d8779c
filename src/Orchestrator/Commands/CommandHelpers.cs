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
        using var db = store.NewContext();
        Cli.Error(ResultsReader.UnknownExperimentMessage(db, name));
        return null;
    }
}
