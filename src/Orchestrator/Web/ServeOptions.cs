using Ablations.Core.Store;

namespace Ablations.Orchestrator.Web;

/// <summary>What `ablate serve` serves and where: <see cref="Urls"/> as Kestrel reads them (';'-separated).</summary>
internal sealed record ServeOptions(Workspace Workspace, string Urls, string? Token, string ReportsDir);
