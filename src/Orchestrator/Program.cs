using Ablations.Orchestrator.Commands;

return Cli.Run(args);
