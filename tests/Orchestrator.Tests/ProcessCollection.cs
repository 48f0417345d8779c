namespace Ablations.Orchestrator.Tests;

/// <summary>Tests that start runner processes run one at a time: the 2-core machine and Hangfire's SQLite storage both prefer it.</summary>
[CollectionDefinition("processes", DisableParallelization = true)]
public sealed class ProcessCollection;
